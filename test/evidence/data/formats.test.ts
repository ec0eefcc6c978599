import { describe, expect, it } from 'vitest';
import { classify, duplicateKey } from '../../../src/evidence/data/formats';

const user = (content: unknown = 'Close task 42.') => ({ role: 'user', content });
const assistant = (content: unknown = 'Done: task 42 is closed.') => ({ role: 'assistant', content });

describe('classify: format and problems of one line', () => {
  it.each([
    ['chat', { messages: [user(), assistant()] }, 'chat', []],
    ['chat with system and tools', { messages: [{ role: 'system', content: 'Be brief.' }, user(), assistant()], tools: [{ type: 'function', function: { name: 'close_task' } }] }, 'chat', []],
    [
      'chat with a tool call and no content',
      {
        messages: [
          user(),
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'close_task', arguments: '{}' } }] },
          { role: 'tool', content: 'ok' },
          assistant(),
        ],
      },
      'chat',
      [],
    ],
    ['chat content as parts', { messages: [user([{ type: 'text', text: 'Hi' }]), assistant()] }, 'chat', []],
    ['OpenAI preference shape', { input: { messages: [user()] }, preferred_output: [assistant('Closed.')], non_preferred_output: [assistant('No.')] }, 'preference', []],
    ['TRL preference shape', { prompt: 'Hi', chosen: 'Hello! How can I help?', rejected: 'What.' }, 'preference', []],
    ['TRL preference shape, conversational', { prompt: [user()], chosen: [assistant('Yes.')], rejected: [assistant('No.')] }, 'preference', []],
    ['prompt/completion', { prompt: 'Priority of "fix login":', completion: ' high' }, 'completion', []],
    ['text', { text: 'Every task has one owner.' }, 'text', []],
    ['no assistant message', { messages: [user()] }, 'chat', ['no-assistant']],
    ['unknown role', { messages: [user(), { role: 'bot', content: 'x' }, assistant()] }, 'chat', ['unknown-role']],
    ['empty content (whitespace)', { messages: [user(), assistant('  \n')] }, 'chat', ['empty-content']],
    ['empty messages list', { messages: [] }, 'chat', ['empty-content']],
    ['a message that is not an object', { messages: ['hi', assistant()] }, 'chat', ['malformed-message']],
    ['chosen equals rejected', { prompt: 'Hi', chosen: 'Hello  there', rejected: 'Hello there' }, 'preference', ['chosen-equals-rejected']],
    ['OpenAI pair, outputs equal', { input: { messages: [user()] }, preferred_output: [assistant('Same.')], non_preferred_output: [assistant('Same.')] }, 'preference', ['chosen-equals-rejected']],
    ['OpenAI pair without an assistant output', { input: { messages: [user()] }, preferred_output: [user('x')], non_preferred_output: [assistant('No.')] }, 'preference', ['no-assistant']],
    ['empty chosen', { prompt: 'Hi', chosen: '', rejected: 'No.' }, 'preference', ['empty-content']],
    ['empty completion', { prompt: 'Hi', completion: '' }, 'completion', ['empty-content']],
    ['empty text', { text: ' ' }, 'text', ['empty-content']],
    ['unknown format', { input: 'x', output: 'y' }, undefined, ['unknown-format']],
    ['an array', ['prompt', 'completion'], undefined, ['not-object']],
    ['a number', 42, undefined, ['not-object']],
    ['null', null, undefined, ['not-object']],
  ])('%s', (_name, value, format, problems) => {
    const c = classify(value);
    expect(c.format).toBe(format);
    expect(c.problems).toEqual(problems);
  });

  it('counts the longer side of a pair, with the prompt, towards the length', () => {
    expect(classify({ prompt: 'abcd', chosen: 'x'.repeat(10), rejected: 'y'.repeat(30) }).chars).toBe(34);
  });

  it('gives the same duplicate key to texts that differ only in whitespace, and different keys across formats', () => {
    const a = classify({ messages: [user('Close  task\n42.'), assistant()] });
    const b = classify({ messages: [user(' Close task 42. '), assistant()] });
    expect(duplicateKey(a)).toBe(duplicateKey(b));
    expect(duplicateKey(classify({ text: 'Close task 42.' }))).not.toBe(duplicateKey(classify({ prompt: 'Close task 42.', completion: '' })));
    expect(duplicateKey(classify({ messages: [user('a'), assistant('b')] }))).not.toBe(duplicateKey(classify({ messages: [user('a b'), assistant('')] })));
  });
});

describe('duplicateHash', () => {
  it('is the fingerprint of duplicateKey, and parts cannot run into each other', async () => {
    const { duplicateHash } = await import('../../../src/evidence/data/formats');
    const { Fingerprint } = await import('../../../src/evidence/data/hashes');
    const a = classify({
      messages: [
        { role: 'user', content: 'ab' },
        { role: 'assistant', content: 'c' },
      ],
    });
    const b = classify({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'bc' },
      ],
    });
    expect(duplicateHash(a)).not.toEqual(duplicateHash(b));
    expect(duplicateHash(a)).toEqual(new Fingerprint().add('chat').separate(1).add('user').separate(2).add('ab').separate(1).add('assistant').separate(2).add('c').done());
    expect(duplicateHash(classify({ text: ' x  y ' }))).toEqual(duplicateHash(classify({ text: 'x y' })));
  });
});
