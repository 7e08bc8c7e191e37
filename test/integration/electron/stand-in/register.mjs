// `node --import <this file> dist/main/electron-main.mjs`: installs the hooks before the bundle loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
