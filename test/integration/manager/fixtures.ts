import { Manager, type ManagerOptions, type UsageReport } from '../../../src-main/agents/manager';
import { startFakeAnthropic, TEST_API_KEY, type FakeAnthropic, type FakeAnthropicOptions } from '../../support/fake-anthropic';

/** A PRD with eight interdependent features, long enough that caching matters. */
export const SHOP_PRD = `# Product requirements: Tiny Shop

## 1. Project skeleton
TypeScript Node service with a test runner, lint and a health endpoint.

## 2. Product catalogue
Products have a name, price in cents and stock. List and fetch products from SQLite.

## 3. User accounts
Sign-up and login with hashed passwords and session cookies.

## 4. Shopping cart
A logged-in user adds and removes products; totals are computed server-side.

## 5. Checkout
Turns a cart into an order, decrements stock in one transaction, refuses when out of stock.

## 6. Order history
A user lists their past orders with line items and totals.

## 7. Admin stock management
Admins change stock and prices; every change is audited.

## 8. Email receipts
After checkout an email receipt is queued with the order summary.

${'Non-functional: every endpoint validates its input, answers JSON errors with a code, and is covered by tests. '.repeat(30)}`;

/** A task as the fake model writes it in a planning tool call. */
export function modelTask(id: number | string, title: string, dependencies: ReadonlyArray<number | string> = [], priority: 'high' | 'medium' | 'low' = 'medium'): Record<string, unknown> {
  return {
    id,
    title,
    description: `${title}.`,
    details: `Implement ${title.toLowerCase()}.`,
    acceptance_criteria: [`${title} works`],
    test_strategy: 'Integration tests.',
    priority,
    dependencies,
    context_files: [],
    hints: [],
  };
}

/** The fake model's plan of SHOP_PRD: eight tasks, valid. */
export function shopPlan(): Record<string, unknown> {
  return {
    tasks: [
      modelTask(1, 'Project skeleton', [], 'high'),
      modelTask(2, 'Product catalogue', [1], 'high'),
      modelTask(3, 'User accounts', [1], 'high'),
      modelTask(4, 'Shopping cart', [2, 3]),
      modelTask(5, 'Checkout', [4]),
      modelTask(6, 'Order history', [5], 'low'),
      modelTask(7, 'Admin stock management', [2, 3]),
      modelTask(8, 'Email receipts', [5], 'low'),
    ],
    notes: 'Payments are out of scope.',
  };
}

/** A fake server and a manager pointed at it; `usage` collects every usage report. */
export async function startManager(
  options: Partial<ManagerOptions> = {},
  fakeOptions: FakeAnthropicOptions = {},
): Promise<{ readonly fake: FakeAnthropic; readonly manager: Manager; readonly usage: UsageReport[] }> {
  const fake = await startFakeAnthropic(fakeOptions);
  const usage: UsageReport[] = [];
  const manager = new Manager({
    apiKey: TEST_API_KEY,
    baseURL: fake.url,
    maxRetries: 3,
    streamRetry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    onUsage: (report) => usage.push(report),
    ...options,
  });
  return { fake, manager, usage };
}
