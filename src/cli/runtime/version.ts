// Kept in step with package.json by the test suite; read here without loading JSON at start-up.
export const VERSION = '0.1.0';
