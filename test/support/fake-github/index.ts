export { startFakeGitHub, type FakeGitHub, type FakeGitHubFault, type FakeGitHubOptions, type FakeGitHubRequest, type FakeIssue } from './server';
