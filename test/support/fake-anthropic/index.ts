export { startFakeAnthropic } from './server';
export type { FakeAnthropic, FakeAnthropicOptions, RateLimitState, Script, ScriptOptions } from './server';
export { DEFAULT_REPLY, STRUCTURED_OUTPUT_TOOL, asStructuredOutput, lastToolResults, lastUserText, matchers, structuredOutputTool, textReply, toolUseReply } from './replies';
export type { RandomFaultOptions } from './faults';
export { estimateTokens } from './usage';
export type { FakeBlock, FakeFault, FakeFaultKind, FakeReply, FakeStopReason, RecordedRequest, ReplyFunction, RequestMatcher, WireUsage } from './types';
export { CLAUDE_BIN, TEST_API_KEY, claudeTestEnv, makeTempDir, makeTempGitRepo } from './claude-cli-env';
