export {
  BUILTIN_CONTEXT_WINDOWS,
  type ContextWindow,
  contextWindowFor,
  registerContextWindows,
  resetContextWindows,
} from './context-windows.js';
export {
  type FitResult,
  type FitStrategy,
  type FitToContextOptions,
  fitToContext,
  SUMMARY_PREFIX,
} from './fit-to-context.js';
export { groupTurns, type Turn } from './group-turns.js';
