import { ExampleSource } from './example-source';

/**
 * Runs the example REST source on its own, to try the example-http connector by hand:
 *   npm run example-source -- [--port 4100] [--token change-me-demo-token] [--customers 1000]
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const source = new ExampleSource(opt('token', 'change-me-demo-token'));
  source.seed(Number(opt('customers', '1000')), 1, Date.now() - 24 * 3600_000);
  const url = await source.start(Number(opt('port', '4100')));
  console.warn(`example source on ${url}: GET /health, /v1/customers, /v1/orders (Bearer token)`);
  process.on('SIGINT', () => source.stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => source.stop().then(() => process.exit(0)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
