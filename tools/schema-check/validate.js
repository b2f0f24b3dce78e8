#!/usr/bin/env node
// Validates scenario files against the scenario JSON Schema with Ajv
// (draft 2020-12) in strict mode, so that the schema itself is also checked:
// an unknown keyword, a missing "type" next to a type-specific keyword or a
// "required" name that no "properties" declares is an error, not a silent no-op.
//
// Usage: node validate.js SCHEMA.json SCENARIO.json...
// Exit status: 0 when every scenario is valid; 1 when any is invalid (each
// error is printed as "<file>: <JSON Pointer>: <message>"); 2 for usage
// errors, unreadable files or a schema that does not compile.
"use strict";

const fs = require("fs");

function fail(message) {
  process.stderr.write(message + "\n");
  process.exit(2);
}

function readJson(path) {
  let text;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (error) {
    fail(`${path}: cannot read: ${error.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    return { parseError: error.message };
  }
}

function compile(schemaPath) {
  let Ajv2020;
  try {
    Ajv2020 = require("ajv/dist/2020");
  } catch (error) {
    fail(`ajv is not installed: run "npm ci" in ${__dirname} (${error.message})`);
  }
  const schema = readJson(schemaPath);
  if (schema.parseError) fail(`${schemaPath}: invalid JSON: ${schema.parseError}`);
  // allErrors: report every problem in a file, not just the first.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  try {
    return ajv.compile(schema);
  } catch (error) {
    fail(`${schemaPath}: the schema does not compile: ${error.message}`);
  }
}

function describe(error) {
  const where = error.instancePath === "" ? "/" : error.instancePath;
  const extra = error.params && error.params.additionalProperty !== undefined
    ? ` ('${error.params.additionalProperty}')`
    : "";
  return `${where}: ${error.message}${extra}`;
}

function main(args) {
  if (args.length < 2) fail("usage: node validate.js SCHEMA.json SCENARIO.json...");
  const validate = compile(args[0]);
  let invalid = 0;
  for (const path of args.slice(1)) {
    const document = readJson(path);
    if (document && document.parseError) {
      process.stdout.write(`${path}: invalid JSON: ${document.parseError}\n`);
      invalid++;
    } else if (!validate(document)) {
      for (const error of validate.errors) process.stdout.write(`${path}: ${describe(error)}\n`);
      invalid++;
    } else {
      process.stdout.write(`${path}: ok\n`);
    }
  }
  process.exit(invalid === 0 ? 0 : 1);
}

main(process.argv.slice(2));
