/**
 * A Stryker ignorer: the message argument of assert(cond, message) only words the failure,
 * so mutating it is equivalent by construction (the assertion still fires or not the same).
 */
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const isMessageArg = (path) => {
  const call = path.parentPath;
  return call !== null && call.isCallExpression() && call.node.arguments.indexOf(path.node) >= 1
    && call.node.callee.type === 'Identifier' && call.node.callee.name === 'assert';
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'assert-messages', {
  shouldIgnore: (path) => (isMessageArg(path) ? 'assert message: only words the failure'
    : undefined),
})];
