// Lint for the browser client (webroot/): run by .ci/run before the unit tests, so a lint error fails the build.
// ES modules in the browser: the recommended rules plus a few that catch real bugs in this code's style (== where ===
// was meant, a stray global, a console.log left behind). The node unit tests in src/test/js/ are linted too.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "target/", "bench/"] },
  js.configs.recommended,
  {
    files: ["webroot/**/*.js"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["src/test/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } },
  },
];
