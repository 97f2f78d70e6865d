// Must be the renderer's first import. zod 4 compiles object parsers with `new Function` unless
// told not to, and it probes for eval when a schema is created. Under the dashboard's CSP (no
// 'unsafe-eval') that probe is refused and reported as a violation, so switch the JIT off before
// preload/contract.ts builds its schemas.
import { config } from 'zod';

config({ jitless: true });
