#!/usr/bin/env node
// kubectl plugin entry: with this file on PATH as `kubectl-preflight`, `kubectl preflight scan …`
// runs `kube-preflight scan …` (kubectl passes the arguments after the plugin name).
import { main } from '../dist/bundle/main.js';

process.exitCode = await main(process.argv, 'kubectl preflight');
