// vue-tsc on TypeScript 6: vue-tsc patches TypeScript's JavaScript compiler (lib/tsc.js) at run
// time, and TypeScript 7, the project's compiler, is a native binary without one. Arguments are
// tsc's (`node scripts/vue-tsc.cjs -p .nuxt/tsconfig.app.json`).
require('vue-tsc').run(require.resolve('typescript6/lib/tsc'));
