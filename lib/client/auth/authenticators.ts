// The three ways to authenticate, behind one interface: each operation starts a round (http/exchange.ts)
// that gives the Authorization value of each attempt and decides whether a 401 earns one more try.
// Secrets stay in private fields; the service-account code is loaded only when it is used.
import { DigestSession, parseChallenge } from './digest';
import type { AuthRound } from '../http/exchange';
import type { SendRequest, ServiceAccountTokens } from './oauth-token';
import type { HttpResponse } from '../http/transport';

/** What a round needs to fetch a service-account token through the client's retry loop. */
export interface RoundContext {
  readonly send: SendRequest;
  readonly now: () => number;
  readonly deadline: number;
}

export interface Authenticator {
  readonly kind: 'digest' | 'service-account' | 'token';
  /** What to do when the credentials are refused; ends the error message. */
  readonly hint: string;
  begin(context: RoundContext): AuthRound;
  /** Secret values to redact from errors. */
  secrets(): readonly string[];
  /** Releases what the credentials hold on the server (a service-account token no one shares). */
  close?(context: RoundContext): Promise<void>;
}

export class DigestAuthenticator implements Authenticator {
  readonly kind = 'digest';
  readonly hint =
    'Check the public and private API key, that the key is enabled, and that this machine’s IP ' +
    'address is on the key’s API access list.';
  readonly #session: DigestSession;
  readonly #secrets: readonly string[];

  constructor(publicKey: string, privateKey: string) {
    this.#session = new DigestSession(publicKey, privateKey);
    this.#secrets = [publicKey, privateKey];
  }

  secrets(): readonly string[] {
    return this.#secrets;
  }

  begin(): AuthRound {
    const session = this.#session;
    let reusedNonce = false; // the last attempt used a nonce from an earlier operation
    let sent = false;
    let challenged = false; // a challenge was received during this operation
    let staleAnswered = false;
    return {
      header: async (method, uri) => {
        reusedNonce = session.ready && !challenged;
        const value = session.authorize(method, uri);
        sent = value !== undefined;
        return value;
      },
      retryAfter401: async (response: HttpResponse) => {
        const challenge = parseChallenge(response.headers['www-authenticate']);
        if (!challenge) return false;
        let again = false;
        if (!sent || reusedNonce)
          again = !challenged; // first challenge, or the cached nonce expired
        else if (challenge.stale && !staleAnswered) again = staleAnswered = true; // RFC 7616 §3.3
        if (again) {
          challenged = true;
          session.accept(challenge);
        }
        return again;
      },
    };
  }
}

export class StaticTokenAuthenticator implements Authenticator {
  readonly kind = 'token';
  readonly hint = 'The access token was refused: it may have expired. Get a new one.';
  readonly #value: string;

  constructor(accessToken: string) {
    this.#value = accessToken;
  }

  secrets(): readonly string[] {
    return [this.#value];
  }

  begin(): AuthRound {
    return {
      header: async () => `Bearer ${this.#value}`,
      retryAfter401: async () => false,
    };
  }
}

export class ServiceAccountAuthenticator implements Authenticator {
  readonly kind = 'service-account';
  readonly hint =
    'The service account’s token was refused twice: check that the service account is active and has ' +
    "access to this project, and that this machine's IP address is on its access list.";
  readonly #load: () => Promise<ServiceAccountTokens>;
  readonly #prefix: string;
  readonly #clientSecret: string;
  #tokens: ServiceAccountTokens | undefined;

  /** `load` builds the token manager on first use (it pulls in the token and cache modules). */
  constructor(load: () => Promise<ServiceAccountTokens>, prefix: string, clientSecret: string) {
    this.#load = load;
    this.#prefix = prefix;
    this.#clientSecret = clientSecret;
  }

  secrets(): readonly string[] {
    return this.#tokens ? this.#tokens.secrets() : [this.#clientSecret];
  }

  async close(context: RoundContext): Promise<void> {
    await this.#tokens?.close(context.send, this.#prefix);
  }

  begin(context: RoundContext): AuthRound {
    let refreshed = false;
    let token: string | undefined;
    return {
      header: async () => {
        this.#tokens ??= await this.#load();
        token = await this.#tokens.get(context.send, this.#prefix, context.now, context.deadline);
        return `Bearer ${token}`;
      },
      retryAfter401: async () => {
        if (refreshed || !this.#tokens || token === undefined) return false;
        refreshed = true;
        await this.#tokens.invalidate(token);
        return true;
      },
    };
  }
}
