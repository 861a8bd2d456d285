// Flat ESLint config for the whole repository (web app, scripts, media-server, tests).
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '.next*/**', 'tmp/**', '**/tmp/**', 'lib/generated/**', 'media-server/dist/**', 'data/**', 'next-env.d.ts', 'bench/out/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An empty catch hides the failure that the next person has to debug (STYLE.md, rule 20).
      'no-empty': ['error', { allowEmptyCatch: false }],
      // `as any` switches the type checker off exactly where byte and form parsing need it most.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-nocheck': true, 'ts-ignore': true }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}'],
    plugins: { '@next/next': nextPlugin, 'react-hooks': reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Chat messages, titles and descriptions are other people's text: React text nodes only.
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Never render HTML from a string: user text (chat, titles, descriptions) must stay React text nodes.',
        },
      ],
    },
  },
  {
    files: ['media-server/src/**/*.ts'],
    ignores: ['media-server/src/main.ts', 'media-server/src/logger.ts'],
    rules: {
      // Protocol code reports problems by throwing ParseError or returning values; logging goes
      // through the injected Logger (STYLE.md rules 12 and 24).
      'no-console': 'error',
    },
  },
  {
    // Lower layers never import upper ones, so two folders cannot import each other (STYLE.md
    // rule 28; flv/ and rtmp/ once did). The layers: media-server/src/bytes/README.md.
    files: ['media-server/src/{bytes,amf,flv,codec,mp4}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../rtmp/*', '../hls/*', '../hooks/*', '../http/*', '../streams/*', '../index.js', '../main.js', '../config.js'],
              message: 'bytes/, amf/, flv/, codec/ and mp4/ are lower layers: they must not import the layers that use them (media-server/src/bytes/README.md).',
            },
          ],
        },
      ],
    },
  },
);
