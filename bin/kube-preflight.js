#!/usr/bin/env node
// Runs the bundled CLI (scripts/bundle.js, written by `npm run build`).
import { main } from '../dist/bundle/main.js';

process.exitCode = await main(process.argv);
