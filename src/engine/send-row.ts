import type {SeamClient, UserIdentity} from '../seam/client.js';
import {serverText} from '../seam/server-text.js';
import {SeamApiError, validationErrorList} from '../seam/errors.js';
import {backoff, backoffAfter, delay, type Pacer} from '../seam/pacer.js';
import {answeredOtherwise, LABEL, madeLongBefore, reconcile, scanWorkspace, type Retrying, type Verdict} from '../seam/reconcile.js';
import {LOOKUP_ATTEMPTS, SilenceWatch, withRetries} from '../seam/retry.js';
import type {RowOutcome} from './events.js';
import type {Journal} from './journal.js';
import {FIELDS, type Field, type Person, type RowErrorCode} from './types.js';
import {identityNotes} from './decide.js';

export interface SenderContext {
  client: SeamClient;
  pacer: Pacer;
  journal: Journal;
  headerOf: Partial<Record<Field, string>>;
  /** Aborted on Ctrl-C, a fatal answer or a pause longer than the run waits: nothing new is sent after it. */
  stop: AbortSignal;
  /**
   * Aborted when the run has stopped while Seam asks for a long pause: the last lookups are
   * left to --resume (the record says the rows were sent) instead of waiting the pause out.
   */
  lookupStop: AbortSignal;
  maxAttempts: number;
  rateLimitBudgetMs: number;
  /** How long without any answer from Seam (and OUTAGE_FAILURES requests in a row) before the run stops. */
  outageMs: number;
  onRetry: (row: number, attempt: number, code: RowErrorCode, delayMs: number) => void;
  /** A 401/403: the whole run must stop. */
  onFatal: (error: SeamApiError) => void;
  /** A 429 whose Retry-After is longer than the rate-limit budget: the run stops, resumable. */
  onLongPause: (error: SeamApiError) => void;
  /**
   * Seam has not answered anything for a long while (down, or the network is), or (`createsOnly`)
   * no create while its lookups still answer: the run stops, resumable.
   */
  onOutage: (error: SeamApiError, createsOnly?: boolean) => void;
  /**
   * The create route answers with a redirect or a page not from Seam's API (no such route): the
   * same answer would come for every row, so the run stops, resumable, saying what to check.
   */
  onEndpointFault: (error: SeamApiError) => void;
  /** Why the run stopped, when Seam made it stop (a long pause, an outage): the code and words for the rows it leaves. */
  halted: () => {code: RowErrorCode; text: string} | undefined;
  /**
   * A resume: whether the run it continues left this row sent and unsettled (killed mid-send, or
   * stopped with it unconfirmed) moments ago (RECENT_EARLIER_RUN_MS): the person it may have made
   * may not be listed yet.
   */
  leftJustNow?: (row: number) => boolean;
  /** When the run began (a resumed run: the run it continues), ms since the epoch: see madeLongBefore. */
  runStartedAt?: number;
  /**
   * Whether the workspace held this identity when this run listed it, before its first create:
   * true, false, or not known (no listing, or one cut short). See SenderContext's use in hadBefore.
   */
  listedAtStart?: (id: string) => boolean | undefined;
  /** This run continues a recorded one (whose creates are in the listing this run made). */
  resuming?: boolean;
}

/** How the message of a row begins that is existing by its created_at alone (see fromVerdict). */
export const BY_CREATED_AT = 'Existing by its date:';

/** How the message of a row begins whose create Seam refused, though the person is there now and was not before (see fromVerdict). */
export const REFUSED_YET_THERE = 'Refused, yet in Seam:';

/**
 * Whether Seam had this identity before the run (a resumed run: the run it continues) began. In the
 * workspace's listing this run made before its first create: yes, unless the run it continues sent
 * this row (`priorAttempts`: it may have made them). Otherwise by its created_at, on the server's
 * clock, against the run's start (a listing may lag behind Seam: not being in it is no proof that a
 * person was not there); a created_at that cannot say (none, or a time without its zone): no.
 */
function hadBefore(ctx: Pick<SenderContext, 'listedAtStart' | 'resuming' | 'runStartedAt' | 'client'>, identity: UserIdentity, priorAttempts: number): boolean {
  if (ctx.listedAtStart?.(identity.user_identity_id) === true && (ctx.resuming !== true || priorAttempts === 0)) return true;
  return madeLongBefore(identity, ctx.runStartedAt, ctx.client.stats.serverAheadMs);
}



/**
 * Seam's validation errors (zod's tree) as the row's columns and values: `column "Email" has
 * "x@y" (Invalid email)`. Undefined when they name no field of the row.
 */
export function fieldRefusals(tree: unknown, person: Person, headerOf: Partial<Record<Field, string>>): string | undefined {
  const errors = validationErrorList(tree);
  const parts: string[] = [];
  for (const field of FIELDS) {
    const messages = errors.filter(({path}) => path === field || path.startsWith(`${field}.`)).map(({message}) => serverText(message, 120));
    if (messages.length === 0) continue;
    const value = person[field];
    const shown = value === undefined ? '' : ` has ${JSON.stringify(Array.isArray(value) ? value.join('; ') : value)}`;
    parts.push(`${headerOf[field] ? `column "${headerOf[field]}"` : field}${shown} (${messages.join(', ')})`);
  }
  return parts.length === 0 ? undefined : parts.join('; ');
}

/**
 * After an attempt without a clear answer, a refusal whose lookup finds no one is looked up again
 * after these pauses: the person that attempt made may not be listed yet.
 */
const REFUSED_LOOKS_MS = [1_000, 2_000, 4_000];

/**
 * A resume this soon after the run it continues last wrote its record counts that run's attempts
 * without an answer as recent: a refusal is looked up again as after an unclear attempt of this
 * run (the person it made may not be listed yet). Later, Seam has had time to list them.
 */
export const RECENT_EARLIER_RUN_MS = 120_000;

/** Requests in a row without an answer from Seam before the run may stop rather than wear on (see `outageMs`). */
export const OUTAGE_FAILURES = 20;

function credentialsFix(error: SeamApiError): string {
  return error.kind === 'forbidden' ? 'Check that the API key or personal access token may use this workspace' : 'Fix the API key or personal access token';
}

/** A row an earlier attempt may have made, when Seam then refused the credentials: --resume looks it up. */
function unconfirmed(error: SeamApiError): string {
  return `Not confirmed by Seam: an earlier attempt may have made this person, then ${error.message}, so it could not be looked up. ${credentialsFix(error)}, then run again with --resume: it looks the person up before sending.`;
}

/** A create refused for the credentials (401/403), mid-run: not made, and what to do. */
function refusedCredentials(error: SeamApiError): string {
  return `Not created: ${error.message}. ${credentialsFix(error)}, then run again with --resume: this row is sent again.`;
}

export const CODE_OF: Partial<Record<SeamApiError['kind'], RowErrorCode>> = {
  rate_limited: 'rate_limited',
  server_error: 'server_error',
  network_error: 'network_error',
  unreachable: 'network_error',
  timeout: 'timeout',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
};

/**
 * Create one person, safely. Any answer that leaves it unclear whether Seam made the person
 * (5xx, a cut connection, a timeout, a 429) is followed by a lookup before the next try, and so
 * is every refusal: a retry can never make a second identity, and one made by a request whose
 * answer was lost is found and reported as created.
 */
export async function sendRow(ctx: SenderContext, base: RowOutcome, person: Person, priorAttempts: number): Promise<RowOutcome> {
  const row = base.row;
  let attempts = priorAttempts;
  // An attempt of ours may have made the person: look before sending again.
  let needLookup = priorAttempts > 0;
  // Some attempt of this run may have made the person: a match found later is ours (`created`).
  let mayHaveMade = priorAttempts > 0;
  let lastError: SeamApiError | undefined;
  let unclearTries = 0;
  let unreachableTries = 0;
  // The row's failures without an answer, of its creates and its lookups: an outage's spare the lookups' tries.
  const silence = new SilenceWatch(ctx.client.stats, ctx.outageMs, () => !ctx.stop.aborted);
  /** When this row first met a 429 (0 = not yet): the rate-limit budget runs from there. */
  let rateLimitedSince = 0;
  const done = (outcome: Partial<RowOutcome>): RowOutcome => {
    const result: RowOutcome = {...base, ...outcome, attempts: attempts || undefined};
    if (attempts > 0) ctx.journal.append({type: 'done', ...result});
    return result;
  };
  /** `refused`: Seam's refusal of this row's last create, as said after "Seam refused the request". */
  const fromVerdict = (verdict: Verdict, requestId?: string, refused?: string): RowOutcome | undefined => {
    if (verdict.kind === 'match') {
      const ours = mayHaveMade && !hadBefore(ctx, verdict.identity, priorAttempts);
      // The create route took the request, its answer lost on the way: it works (not shown by a person Seam had before).
      if (ours) ctx.client.createAnswered();
      // Refused, yet there now, and not in the workspace's listing when this run began: someone
      // made them meanwhile, or the refused create did (a server that saves the person, then fails
      // a later step such as an access system). Which, nothing here can tell: said, not hidden.
      const unlisted = ctx.listedAtStart?.(verdict.identity.user_identity_id) === false;
      const appeared = refused !== undefined && !ours && unlisted && !madeLongBefore(verdict.identity, ctx.runStartedAt, ctx.client.stats.serverAheadMs);
      // Found after an attempt of ours, "made long before" by its created_at, yet not in the
      // listing before this run: the created_at wins (a listing may lag), said, not hidden.
      const doubted = mayHaveMade && !ours && unlisted;
      const notes = identityNotes(verdict.identity, person, !ours);
      const doubt = doubted
        ? `${BY_CREATED_AT} Seam dates this person ${JSON.stringify(String(verdict.identity.created_at))}, more than an hour before this run began, though the workspace's listing before the run did not have them, and an attempt of this run got no clear answer: reported existing by that date. If the server's dates are not to be trusted, this run made the person.`
        : undefined;
      return done({
        status: ours ? 'created' : 'existing',
        userIdentityId: verdict.identity.user_identity_id,
        message: appeared
          ? `${REFUSED_YET_THERE} Seam refused the create ${refused}, yet a person with this row's details is in Seam now who was not when this run began: made meanwhile by someone else, or by this create before Seam refused it.${notes ? ` ${notes}` : ' Adopted, not changed.'}`
          : doubt !== undefined
            ? `${doubt}${notes ? ` ${notes}` : ''}`
            : notes,
        ...(appeared && requestId !== undefined ? {requestId} : {}),
      });
    }
    if (verdict.kind === 'conflict') return done({status: 'failed', code: verdict.code, message: verdict.message, requestId});
    return undefined;
  };
  const stopped = (): RowOutcome => {
    const halt = ctx.halted();
    if (halt) {
      return done({
        status: 'skipped',
        code: halt.code,
        message: `${needLookup ? 'Not confirmed by Seam' : 'Not sent'}: ${halt.text}${needLookup ? ': it looks the person up before sending' : ''}.`,
      });
    }
    return done({
      status: 'skipped',
      code: 'interrupted',
      message: needLookup
        ? 'The run was stopped before Seam confirmed this row. Run again with --resume: it looks the person up before sending.'
        : attempts > 0
          ? // Sent before, answered 429 or unclearly, then looked up and not found: not "not sent".
            'Not created: the run was stopped before this row was sent again (looked up after the last attempt, Seam did not have it). Run again with --resume to send it.'
          : 'Not sent: the run was stopped. Run again with --resume to send it.',
    });
  };

  /**
   * The lookup after an attempt that may have made the person failed: the row is not confirmed,
   * with a code --resume retries (it looks the person up before sending), never a final refusal.
   */
  const notLookedUp = (error: unknown): RowOutcome => {
    needLookup = true;
    if (ctx.lookupStop.aborted) return stopped();
    if (error instanceof SeamApiError && error.fatal) {
      ctx.onFatal(error);
      // An attempt may have made the person: the row says it is not confirmed (not that Seam
      // refused it), and --resume, which retries the code, looks the person up first.
      return done({status: 'failed', code: CODE_OF[error.kind], message: unconfirmed(error), requestId: error.requestId});
    }
    const reason = error instanceof SeamApiError ? error : lastError;
    return done({
      status: 'failed',
      // The lookup's own failure when it has a code (no answer, a 5xx), else the attempt's.
      code: (reason && CODE_OF[reason.kind]) ?? (lastError && CODE_OF[lastError.kind]) ?? 'server_error',
      message: `Seam did not answer clearly and the row could not be looked up afterwards (${
        reason?.message ?? String(error)
      }). Run again with --resume: the person is looked up before anything is sent.`,
      requestId: reason?.requestId,
    });
  };

  /**
   * After each failure, of a create or a lookup: has Seam given no answer at all for too long? Or,
   * after a create's, no answer to any create, while the lookups between them answer (each
   * lookup's answer restarts the first count): a create route that fails every time (5xx) would
   * otherwise be tried row by row for hours.
   */
  const watchOutage = (error: SeamApiError): void => {
    if (error.kind === 'rate_limited') return;
    const {failuresInARow, lastAnswerAt, createFailuresInARow, lastCreateAnswerAt} = ctx.client.stats;
    if (failuresInARow >= OUTAGE_FAILURES && Date.now() - lastAnswerAt >= ctx.outageMs) ctx.onOutage(error);
    else if (createFailuresInARow >= OUTAGE_FAILURES && lastCreateAnswerAt > 0 && Date.now() - lastCreateAnswerAt >= ctx.outageMs) ctx.onOutage(error, true);
  };

  /**
   * The person looked up (SEAM-API.md's reconcile rule), each request's transient failures tried
   * again; `thorough` after a refusal. Runs even after Ctrl-C (`lookupStop`, not `stop`); `watch`:
   * a failing lookup counts towards an outage.
   */
  const lookUp = (thorough: boolean, {watch = true}: {watch?: boolean} = {}): Promise<Verdict> =>
    reconcile(ctx.client, person, ctx.headerOf, {thorough, signal: ctx.lookupStop, retrying: retryingLookup(watch)});

  // Each request on its own, not the lookup over from its first: a thorough one is three
  // requests, and at 10% 5xx all three answered in a row only 3 tries in 4, so one such
  // lookup in 2,500 gave up after six (its row failed), where one request in 10^6 does.
  const retryingLookup =
    (watch = true): Retrying =>
    (call) =>
      withRetries(call, {
        pacer: ctx.pacer,
        signal: ctx.lookupStop,
        // As patient as the row (--max-attempts), never less than a lookup's own six: a lookup
        // that gives up fails its row as surely as the row's last attempt does. Once the run is
        // stopped (Ctrl-C), six: at 20, the last lookups kept a stopped run silent for minutes.
        attempts: () => (ctx.stop.aborted ? LOOKUP_ATTEMPTS : Math.max(LOOKUP_ATTEMPTS, ctx.maxAttempts)),
        // While Seam answers nothing at all, the lookup waits (tries spared) rather than fail its
        // row: a 30 s outage failed every row in flight, twice over at -c 10 (20 rows for
        // --resume); one longer than outageMs stops the run through watchOutage first.
        ...(watch ? {onRetry: watchOutage, silence} : {}),
      });

  for (;;) {
    if (needLookup) {
      let verdict: Verdict;
      try {
        // The final lookup runs even after Ctrl-C: a person we may have made must not go unreported
        // (unless Seam has asked for a long pause: then --resume looks, not this run).
        // After a 5xx, thorough (the email and phone searched too when the key finds no one): it
        // may hide a clash with someone else (Seam's framework answers 500 for an error it does
        // not name, such as a database's unique constraint), which another attempt would only
        // meet again. After no answer at all (a reset, a timeout) one lookup says it, as before.
        verdict = await lookUp(lastError?.kind === 'server_error');
      } catch (error) {
        return notLookedUp(error);
      }
      const settled = fromVerdict(verdict);
      if (settled) return settled;
      needLookup = false;
    }
    if (ctx.stop.aborted) return stopped();
    if (lastError && lastError.kind !== 'rate_limited' && unclearTries >= ctx.maxAttempts) {
      // The searches found no one: the whole workspace, paged through, before giving the row up (a
      // look-alike whose search leaves out phones, answering the next attempts with a 500 for the
      // phone its first one saved, left that person in Seam with no row naming them).
      const scanned = await scanWorkspace(ctx.client, person, ctx.headerOf, {signal: ctx.lookupStop, retrying: retryingLookup()}).catch((): Verdict => ({kind: 'none'}));
      const found = fromVerdict(scanned);
      if (found) return found;
      return done({
        status: 'failed',
        code: CODE_OF[lastError.kind] ?? 'server_error',
        // Looked up after the last attempt and not found; but a request that got no clear answer
        // (a timeout, a cut connection) may still be finished by Seam after that lookup.
        message: `${lastError.message}; gave up after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`}. Seam did not have this person when looked up after the last one, but an attempt without a clear answer may still be finished by Seam: run again with --resume, which looks the person up before sending anything.`,
        requestId: lastError.requestId,
      });
    }

    try {
      ctx.journal.append({type: 'send', row, attempt: attempts + 1});
      // On disk now (with the lines before it, in one write): a record that cannot be written
      // (a full disk) has stopped the run, and a request it could not record is not sent.
      ctx.journal.flush();
      if (ctx.journal.failed) return stopped();
      attempts += 1;
      const result = await ctx.client.createUserIdentity(person, ctx.stop);
      const other = answeredOtherwise(person, result.data);
      if (other !== undefined) {
        // Not marked created with that id: it may be someone else's (a person Seam had, answered
        // instead of a refusal), and the row would be given it.
        const header = ctx.headerOf[other];
        return done({
          status: 'failed',
          code: 'conflict',
          message: `Seam answered the create with user identity ${result.data.user_identity_id}, whose ${LABEL[other]} is ${JSON.stringify(result.data[other])} where this row has ${JSON.stringify(person[other])}${header ? ` (column "${header}")` : ''}: not this person as sent (Seam may have answered with a person it already had, or stored the value otherwise). Not counted as created: check that identity in Seam.`,
          requestId: result.requestId,
        });
      }
      // A clean answer with a person Seam had before this run (a server that answers a taken value
      // with the person it has) is not made by it. Not in the whole listing before the first
      // create: made since, whatever created_at says (a look-alike writing one old date on everyone).
      const had = ctx.listedAtStart?.(result.data.user_identity_id) !== false && hadBefore(ctx, result.data, priorAttempts);
      return done({status: had ? 'existing' : 'created', userIdentityId: result.data.user_identity_id, message: identityNotes(result.data, person, had)});
    } catch (error) {
      if (!(error instanceof SeamApiError)) {
        if (ctx.stop.aborted) {
          // Stopped while waiting for a turn: the request never left.
          attempts -= 1;
          return stopped();
        }
        throw error;
      }
      if (error.fatal) {
        ctx.onFatal(error);
        // After an unclear attempt (a cut connection, a 5xx), this refusal does not say the person is not there.
        return done({status: 'failed', code: CODE_OF[error.kind], message: mayHaveMade ? unconfirmed(error) : refusedCredentials(error), requestId: error.requestId});
      }
      // The attempt before this one that got no clear answer, of this run or (just before) the one it resumes.
      const unclearBefore: SeamApiError | 'earlier run' | undefined =
        lastError ?? (priorAttempts > 0 && attempts === priorAttempts + 1 && ctx.leftJustNow?.(row) === true ? 'earlier run' : undefined);
      lastError = error;
      if (error.kind === 'refused' && error.permanent && error.advice !== undefined) {
        // Not an answer about this person: the endpoint is wrong for every row (a redirect, no
        // such route). Nothing was made by this answer; an earlier unclear attempt is looked up by --resume.
        ctx.onEndpointFault(error);
        if (mayHaveMade) {
          // An earlier try of this row got no clear answer: --resume (or the next run's lookup) must look first.
          needLookup = true;
          return stopped();
        }
        const halt = ctx.halted();
        return done({status: 'skipped', code: halt?.code ?? 'network_error', message: `Not created: ${halt?.text ?? error.message}.`, requestId: error.requestId});
      }
      if (error.kind === 'refused' || error.kind === 'not_found') {
        // A refusal might be a clash with someone already there (its shape is unknown): look.
        // After an attempt of ours without a clear answer, the clash may be with the person that
        // attempt made, which a lookup may not show at once (a replica behind the primary): look
        // again after pauses before saying anything.
        const answer = error.kind === 'not_found' ? `(${error.status ?? 404} ${error.type ?? 'not_found'})` : error.message.replace(/^Seam refused the request /, '');
        let lookupFailed: unknown;
        for (let look = 0; ; look += 1) {
          let verdict: Verdict;
          try {
            verdict = await lookUp(true);
          } catch (lookupError) {
            // Only a lookup can say whether an earlier attempt made the person: --resume must make one.
            if (mayHaveMade) return notLookedUp(lookupError);
            lookupFailed = lookupError;
            verdict = {kind: 'none'};
          }
          const settled = fromVerdict(verdict, error.requestId, answer);
          if (settled) return settled;
          // Looked again only after an unclear attempt of this run, or of the run it resumes when
          // that stopped moments ago: an older run's person has been listed by now (looked up
          // before this attempt was sent), and a refusal of Seam's own is said at once.
          if (unclearBefore === undefined) break;
          if (look >= REFUSED_LOOKS_MS.length) {
            // The searches found no one: the whole workspace, paged through (a look-alike whose
            // search leaves out phones). A failure of it leaves the row as not found.
            const scanned = await scanWorkspace(ctx.client, person, ctx.headerOf, {signal: ctx.lookupStop, retrying: retryingLookup()}).catch((): Verdict => ({kind: 'none'}));
            const found = fromVerdict(scanned, error.requestId, answer);
            if (found) return found;
            return done({
              status: 'failed',
              code: unclearBefore === 'earlier run' ? 'interrupted' : (CODE_OF[unclearBefore.kind] ?? 'server_error'),
              message: `Not confirmed by Seam: ${
                unclearBefore === 'earlier run' ? 'the run this one resumes sent this row and stopped before Seam answered' : `an earlier attempt got no clear answer (${unclearBefore.message})`
              }, then Seam refused the next attempt ${answer}, and the person was not found when looked up. That attempt may have made them before Seam lists them. Run again with --resume in a few minutes: it looks the person up before sending.`,
              requestId: error.requestId,
            });
          }
          // Stopped while waiting: the row is not confirmed (--resume looks), not "not created".
          needLookup = true;
          try {
            // Ctrl-C ends the wait: the row is left to --resume, which looks first.
            await delay(REFUSED_LOOKS_MS[look]!, ctx.stop);
          } catch {
            return stopped();
          }
        }
        if (error.foreign) {
          // Not Seam's answer (a gateway's or a proxy's page): whether Seam saw the request is not
          // known, and the next try may pass. Looked up (not there), and left to --resume.
          return done({
            status: 'failed',
            code: 'server_error',
            message: `An answer not from Seam's API ${answer}: a proxy or a gateway in between? ${
              lookupFailed === undefined ? 'The person was looked up and is not in Seam.' : `The person could not be looked up afterwards (${lookupFailed instanceof Error ? lookupFailed.message : String(lookupFailed)}).`
            } Run again with --resume to send it again.`,
            requestId: error.requestId,
          });
        }
        const about = fieldRefusals(error.validationErrors, person, ctx.headerOf);
        return done({
          status: 'failed',
          code: 'rejected',
          message: `Seam refused this row${about === undefined ? ` ${answer}` : `: ${about} ${answer.replace(/: [^)]*\)$/, ')')}`}${
            error.requestId ? ` (request ${error.requestId})` : ''
          }`,
          requestId: error.requestId,
        });
      }
      let wait: number;
      if (error.kind === 'rate_limited') {
        rateLimitedSince ||= Date.now();
        wait = ctx.pacer.rateLimited(error.retryAfterMs, attempts);
        if (error.retryAfterMs !== undefined && error.retryAfterMs > ctx.rateLimitBudgetMs) ctx.onLongPause(error);
        // Rate limiting is not the row's fault: it does not use up the row's attempts, only a time budget.
        if (Date.now() - rateLimitedSince > ctx.rateLimitBudgetMs) {
          mayHaveMade = true;
          const verdict = await lookUp(false, {watch: false}).catch(() => ({kind: 'none'}) as const);
          return (
            fromVerdict(verdict) ??
            done({
              status: 'failed',
              code: 'rate_limited',
              message: `Seam kept answering 429 (too many requests) for ${Math.round(
                ctx.rateLimitBudgetMs / 1000,
              )} s. Run again with --resume, or lower --rate.`,
              requestId: error.requestId,
            })
          );
        }
      } else if (error.kind === 'unreachable') {
        // Refused before anything was sent: no lookup needed, just wait for the server. (Noted for
        // the silence watch; these tries are counted on their own.)
        silence.createFailed();
        unreachableTries += 1;
        attempts -= 1;
        wait = backoff(unreachableTries);
        if (unreachableTries > 10 || error.permanent) {
          return done({status: 'failed', code: 'network_error', message: `${error.message}; nothing was sent for this row.`});
        }
      } else {
        // Noted for the lookups that follow; a create's failure itself always counts (the lookup
        // before a create has answered, so Seam was not silent).
        silence.createFailed();
        unclearTries += 1;
        wait = backoffAfter(error.retryAfterMs, unclearTries);
      }
      watchOutage(error);
      if (error.kind !== 'unreachable') {
        needLookup = true;
        mayHaveMade = true;
      }
      // A run that has just stopped (this very answer may have stopped it) tries nothing again.
      if (!ctx.stop.aborted) ctx.onRetry(row, attempts, CODE_OF[error.kind] ?? 'server_error', wait);
      if (error.kind !== 'rate_limited') {
        try {
          await delay(wait, ctx.stop);
        } catch {
          // Stopped while waiting: the loop's lookup settles what the last attempt did.
        }
      }
    }
  }
}
