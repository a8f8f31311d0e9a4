/**
 * The interactive `conduit chat` session: one message per line, each sent with the conversation so
 * far, and slash commands the session answers itself, as Ollama's `run` does: /help, /exit (/quit,
 * /bye), /clear, /model <name>, /system <text>. A line starting with `/` never reaches the model
 * unless the slash is doubled (`//etc` sends `/etc`), so a typo like `/hepl` costs no tokens.
 */
import type { ChatRequest } from '../../core/chat-request.js';
import type { LanguageModel } from '../../core/language-model.js';
import type { ChatMessage } from '../../core/messages.js';
import { describeError } from '../cli-error.js';

/** What one line typed in the session asks for. */
export type ChatLine =
  | { type: 'message'; text: string }
  | { type: 'help' }
  | { type: 'exit' }
  | { type: 'clear' }
  | { type: 'model'; name?: string }
  | { type: 'system'; text?: string }
  | { type: 'unknown'; command: string };

/** Reads one line; undefined for a blank one. */
export function parseChatLine(line: string): ChatLine | undefined {
  const trimmed = line.trim();
  if (!trimmed) return undefined;
  if (trimmed.startsWith('//')) return { type: 'message', text: trimmed.slice(1) };
  if (!trimmed.startsWith('/')) return { type: 'message', text: trimmed };
  const space = trimmed.search(/\s/);
  const command = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const arg = space < 0 ? undefined : trimmed.slice(space).trim() || undefined;
  switch (command) {
    case '/help':
    case '/?':
      return { type: 'help' };
    case '/exit':
    case '/quit':
    case '/bye':
      return { type: 'exit' };
    case '/clear':
    case '/reset':
      return { type: 'clear' };
    case '/model':
      return arg ? { type: 'model', name: arg } : { type: 'model' };
    case '/system':
      return arg ? { type: 'system', text: arg } : { type: 'system' };
    default:
      return { type: 'unknown', command };
  }
}

export const CHAT_HELP = `Commands:
  /help            this list
  /model [name]    show the model, or switch to another (alias or provider:model); the conversation stays
  /system [text]   show the system prompt, or set it
  /clear           forget the conversation (the system prompt stays)
  /exit            quit (also /quit, /bye, Ctrl-D)
Start a line with // to send the model a message that begins with /.
`;

export type Sampling = Pick<ChatRequest, 'temperature' | 'max_tokens'>;

export interface ChatSessionOptions {
  model: LanguageModel;
  /** Resolves `/model <name>`; throws for a name that is no model. */
  resolveModel: (name: string) => LanguageModel;
  system?: string;
  request: Sampling;
  /** The lines typed, in order; the session ends when they do. */
  lines: AsyncIterable<string>;
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
  /** Shows the input prompt before each line is read (in a terminal). */
  prompt?: () => void;
}

/**
 * Runs the session until `/exit` or the end of the lines. A failed turn is reported on `err` and
 * forgotten, so the next line starts from the conversation as it was.
 *
 * @example
 * await runChatSession({ model, resolveModel: (name) => conduit.models.get(name), request: {},
 *   lines: createInterface({ input: process.stdin }), out: process.stdout, err: process.stderr });
 */
export async function runChatSession(options: ChatSessionOptions): Promise<void> {
  const { out, err, request } = options;
  let model = options.model;
  let system = options.system;
  let turns: ChatMessage[] = [];
  const say = (text: string) => out.write(`${text}\n`);
  say(`Chatting with ${model.id}. /help lists the commands, /exit quits.`);
  options.prompt?.();
  for await (const raw of options.lines) {
    const line = parseChatLine(raw);
    if (line?.type === 'exit') break;
    switch (line?.type) {
      case undefined:
        break;
      case 'help':
        out.write(CHAT_HELP);
        break;
      case 'clear':
        turns = [];
        say('(conversation cleared)');
        break;
      case 'model':
        if (!line.name) {
          say(`(chatting with ${model.id})`);
          break;
        }
        try {
          model = options.resolveModel(line.name);
          say(`(now chatting with ${model.id})`);
        } catch (error) {
          err.write(`error: ${describeError(error)}\n`);
        }
        break;
      case 'system':
        if (line.text) {
          system = line.text;
          say('(system prompt set)');
        } else say(system ? `(system prompt: ${system})` : '(no system prompt)');
        break;
      case 'unknown':
        say(`Unknown command ${line.command}: not sent to the model. /help lists the commands.`);
        break;
      case 'message': {
        const user: ChatMessage = { role: 'user', content: line.text };
        const history: ChatMessage[] = system ? [{ role: 'system', content: system }] : [];
        try {
          const text = await streamTo(model, { ...request, messages: [...history, ...turns, user] }, out);
          turns.push(user, { role: 'assistant', content: text });
        } catch (error) {
          err.write(`error: ${describeError(error)}\n`);
        }
        break;
      }
    }
    options.prompt?.();
  }
}

/** Streams text to `out`; returns the text. Throws the stream's error after printing what came. */
export async function streamTo(
  model: LanguageModel,
  request: ChatRequest,
  out: { write(text: string): unknown },
): Promise<string> {
  let text = '';
  for await (const event of model.stream(request)) {
    if (event.type === 'text-delta') {
      text += event.text;
      out.write(event.text);
    } else if (event.type === 'error') {
      if (text) out.write('\n');
      throw event.error;
    }
  }
  out.write('\n');
  return text;
}
