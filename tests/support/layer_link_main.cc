// The executable each folder library is linked into, whole, with only the
// libraries below it (tests/CMakeLists.txt, layer_link_*): it exists so that
// the link fails when the library calls into a folder above its own.
int main() { return 0; }
