// The sentences the client appends to a message to say what to change. The client knows no CLI variable:
// whoever configures it (the CLI, a program) passes its own words in InvitationClientOptions.hints.

/**
 * What the client's messages tell a person to change, in the words of whoever configures the client: the
 * CLI names its environment variables, a program its own settings. Each is one or more whole sentences.
 */
export interface ClientHints {
  /**
   * How to point the token cache (and the rate-limit wait file) at another directory, or turn it off:
   * appended when the directory is refused or unusable, and when a service account ran out of tokens.
   *
   * @default - names the tokenCacheDir option
   */
  readonly tokenCache?: string;
  /**
   * How to send with node:http instead, when undici cannot be loaded.
   *
   * @default - names the transport option
   */
  readonly nodeHttp?: string;
}

/** The hints of a client that was given none. */
export const DEFAULT_HINTS: Required<ClientHints> = {
  tokenCache: 'Point tokenCacheDir at a writable directory of your own (false keeps tokens in memory).',
  nodeHttp: "Pass transport: 'node-http'.",
};
