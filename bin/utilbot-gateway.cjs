#!/usr/bin/env node
// The published command: runs the CommonJS build of src/cli/main.ts.
'use strict';
require('../dist/cjs/cli.js').run();
