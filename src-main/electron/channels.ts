/** IPC channel names; main accepts nothing outside this prefix. */
export const CHANNEL_PREFIX = 'orchestrator:';
export const INVOKE_CHANNEL = `${CHANNEL_PREFIX}invoke`;
export const EVENT_CHANNEL = `${CHANNEL_PREFIX}event`;
