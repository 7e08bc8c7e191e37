import { afterEach, describe, expect, it } from 'vitest';
import { NewTaskSchema } from '../../../src-shared/domain/task';
import { validateGraph } from '../../../src-shared/graph/validate';
import { ManagerError } from '../../../src-main/agents/manager';
import { lastToolResults, textReply, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { SHOP_PRD, modelTask, shopPlan, startManager } from './fixtures';

describe('Manager.parsePrd against the fake Messages API', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('turns a PRD with eight interdependent features into a valid, storable task graph', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(toolUseReply('parse_prd', shopPlan()));
    const plan = await started.manager.parsePrd(SHOP_PRD);

    expect(plan.notes).toEqual([]);
    expect(plan.modelNotes).toBe('Payments are out of scope.');
    expect(plan.tasks.map((task) => task.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(plan.tasks.find((task) => task.title === 'Shopping cart')?.dependencies).toEqual(['2', '3']);
    expect(validateGraph(plan.tasks)).toEqual([]);
    for (const task of plan.tasks) expect(NewTaskSchema.safeParse(task).success).toBe(true);
    expect(plan.usage.inputTokens + plan.usage.cacheCreationInputTokens).toBeGreaterThan(500);
    expect(plan.costUsd).toBeGreaterThan(0);
    expect(started.usage).toHaveLength(1);
    expect(started.usage[0]).toMatchObject({ purpose: 'parse_prd', model: 'claude-opus-4-6', priced: true });

    const [request] = fake.messageRequests();
    expect(request?.body?.tool_choice).toEqual({ type: 'tool', name: 'parse_prd', disable_parallel_tool_use: true });
    const tool = request?.body?.tools?.[0] as { name: string; input_schema: { type: string; properties: Record<string, unknown> } };
    expect(tool.name).toBe('parse_prd');
    expect(tool.input_schema.type).toBe('object');
    expect(Object.keys(tool.input_schema.properties)).toContain('tasks');
  });

  it('an answer cut off at the output budget is refused at once, naming the setting to raise; a 150-feature plan fits a larger budget', async () => {
    const started = await startManager({ maxTokens: 16_000 });
    fake = started.fake;
    const big = { tasks: Array.from({ length: 150 }, (_, index) => modelTask(index + 1, `Feature ${index + 1}`, index === 0 ? [] : [Math.floor(index / 2) + 1])) };
    fake.enqueue({ ...toolUseReply('parse_prd', { tasks: big.tasks.slice(0, 40) }), stopReason: 'max_tokens' });
    const cut = (await started.manager.parsePrd(SHOP_PRD).catch((error: unknown) => error)) as ManagerError;
    expect(cut).toBeInstanceOf(ManagerError);
    expect(cut.message).toBe(
      "The manager's parse_prd answer did not fit its output budget of 16,000 tokens; nothing was stored. Raise models.manager_max_tokens in orchestrator_config.json (if the model allows more), or split the document into parts and plan them one after another.",
    );
    expect(fake.messageRequests()).toHaveLength(1);

    fake.enqueue(toolUseReply('parse_prd', big));
    const plan = await started.manager.parsePrd(SHOP_PRD);
    expect(plan.tasks).toHaveLength(150);
    expect(plan.notes).toEqual([]);
    expect(validateGraph(plan.tasks)).toEqual([]);
  });

  it('repairs duplicate ids, gaps, self and unknown dependencies, and notes every repair', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(
      toolUseReply('parse_prd', {
        tasks: [
          modelTask(1, 'Skeleton', [1]),
          modelTask(2, 'Catalogue', [1, 99]),
          modelTask(2, 'Accounts', [1]),
          modelTask(7, 'Cart', [2, 7]),
          modelTask(9, 'Checkout', [7, 'x-1']),
        ],
      }),
    );
    const plan = await started.manager.parsePrd(SHOP_PRD);
    expect(plan.notes.map((note) => note.message)).toEqual([
      'duplicate id 2: task "Accounts" renumbered to 3',
      'ids made contiguous: 7 → 4, 9 → 5',
      'task 1 ("Skeleton") depended on itself; dependency dropped',
      'task 2 ("Catalogue") depended on unknown task 99; dependency dropped',
      'task 4 ("Cart") depended on itself; dependency dropped',
      'task 5 ("Checkout") depended on unknown task x-1; dependency dropped',
    ]);
    expect(plan.tasks.map((task) => [task.id, task.title, task.dependencies])).toEqual([
      ['1', 'Skeleton', []],
      ['2', 'Catalogue', ['1']],
      ['3', 'Accounts', ['1']],
      ['4', 'Cart', ['2']],
      ['5', 'Checkout', ['4']],
    ]);
    expect(validateGraph(plan.tasks)).toEqual([]);
  });

  it('breaks a cycle by dropping the lowest-priority back edge and names the cycle', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(
      toolUseReply('parse_prd', {
        tasks: [
          modelTask(1, 'Skeleton', [], 'high'),
          modelTask(2, 'Catalogue', [1, 4], 'high'),
          modelTask(3, 'Cart', [2, 5], 'low'),
          modelTask(4, 'Checkout', [3], 'medium'),
          modelTask(5, 'Receipts', [4], 'low'),
        ],
      }),
    );
    const plan = await started.manager.parsePrd(SHOP_PRD);
    expect(plan.notes.map((note) => note.message)).toEqual([
      'dependency cycle 2 → 4 → 3 → 2 broken: task 2 ("Catalogue") no longer depends on task 4',
      'dependency cycle 3 → 5 → 4 → 3 broken: task 3 ("Cart") no longer depends on task 5',
    ]);
    expect(plan.tasks.map((task) => task.dependencies)).toEqual([[], ['1'], ['2'], ['3'], ['4']]);
    expect(validateGraph(plan.tasks)).toEqual([]);
  });

  it('refuses a cyclic plan with a clear message when the cycle policy is "refuse"', async () => {
    const started = await startManager({ cyclePolicy: 'refuse' });
    fake = started.fake;
    fake.enqueue(toolUseReply('parse_prd', { tasks: [modelTask(1, 'A', [2]), modelTask(2, 'B', [1])] }));
    const failure = await started.manager.parsePrd(SHOP_PRD).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManagerError);
    expect((failure as ManagerError).errorClass).toBe('permanent');
    expect((failure as ManagerError).message).toBe("The manager's plan was refused and nothing was stored: the plan has a dependency cycle 1 → 2 → 1.");
  });

  it('retries once with the validation error fed back, then accepts the corrected plan', async () => {
    const started = await startManager();
    fake = started.fake;
    const broken = { tasks: [{ ...modelTask(1, 'Skeleton'), priority: 'urgent' }, { id: 2, description: 'no title' }] };
    fake.enqueue(toolUseReply('parse_prd', broken), toolUseReply('parse_prd', shopPlan()));
    const plan = await started.manager.parsePrd(SHOP_PRD);
    expect(plan.tasks).toHaveLength(8);
    const retry = fake.messageRequests()[1];
    expect(retry).toBeDefined();
    const [result] = lastToolResults(retry!);
    expect(result?.is_error).toBe(true);
    expect(String(result?.content)).toContain('tasks[0].priority');
    expect(String(result?.content)).toContain('tasks[1].title');
    expect(started.usage.map((report) => report.purpose)).toEqual(['parse_prd', 'parse_prd']);
  });

  it('refuses after malformed JSON twice with a clear message', async () => {
    const started = await startManager();
    fake = started.fake;
    const malformed = { tasks: '[{"id": 1, "title": "Skeleton", ' };
    fake.enqueue(toolUseReply('parse_prd', malformed), textReply('Here is the plan: [{"id": 1,'));
    const failure = await started.manager.parsePrd(SHOP_PRD).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManagerError);
    expect((failure as ManagerError).errorClass).toBe('permanent');
    expect((failure as ManagerError).message).toBe(
      "The manager's parse_prd reply was invalid twice; nothing was stored. Last problem: the reply did not call the parse_prd tool",
    );
    const [feedback] = lastToolResults(fake.messageRequests()[1]!);
    expect(String(feedback?.content)).toMatch(/tasks is malformed JSON/);
    expect(fake.messageRequests()).toHaveLength(2);
  });

  it('refuses an empty PRD without calling the API', async () => {
    const started = await startManager();
    fake = started.fake;
    await expect(started.manager.parsePrd('   \n')).rejects.toThrow('The PRD is empty: write the requirements first.');
    expect(fake.messageRequests()).toHaveLength(0);
  });
});
