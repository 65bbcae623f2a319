#!/usr/bin/env node
/** `scs-create-toolbox-env`: the same as `scs env create`. */
import { registerEnvCreate } from '../cli/env.js';
import { runStandalone } from './standalone.js';

void runStandalone('scs-create-toolbox-env', registerEnvCreate);
