#!/usr/bin/env node
/** `scs-activate-toolbox-kernel`: the same as `scs env activate`. */
import { registerEnvActivate } from '../cli/env.js';
import { runStandalone } from './standalone.js';

void runStandalone('scs-activate-toolbox-kernel', registerEnvActivate);
