// Electron entry, bundled by scripts/build.ts to dist/main/index.mjs (package.json "main").
// All lifecycle work is in main/electron/desktop-app.ts; this file only names the core factory
// (main/core's composition root) and where the bundle lives, so the shell itself stays testable.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDesktopCore } from './core/desktop-core.ts';
import type { CoreFactory } from './electron/core-factory.ts';
import { runDesktop } from './electron/desktop-app.ts';

// The annotation is the contract: main/core's factory must accept the desktop host's services.
const factory: CoreFactory = createDesktopCore;

runDesktop({ createCore: factory, mainBundleDir: dirname(fileURLToPath(import.meta.url)) });
