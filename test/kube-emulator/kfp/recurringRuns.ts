/**
 * KFP v2beta1 recurring runs (/apis/v2beta1/recurringruns): create, get, list, enable, disable,
 * delete. Bodies are checked against KFP's own swagger (../shared/reference/kfp-api) and the
 * rules the API server applies (name, 1-10 concurrency, a six-field cron, one pipeline source).
 */
import { kfpRecurringRunCheck } from '../../fixtures/schemaCheck.ts';
import { KfpError, kfpInvalid, kfpInvalidInput, kfpNotFound } from './errors.ts';
import { newId, now, page } from './store.ts';

type Json = Record<string, unknown>;

/** Six fields (seconds first) of numbers, names, `*`, `?`, lists, ranges and steps, as robfig/cron reads them. */
const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?)*$/;

export class RecurringRuns {
  static readonly ROUTES = [
    'POST /apis/v2beta1/recurringruns',
    'GET /apis/v2beta1/recurringruns',
    'GET /apis/v2beta1/recurringruns/{recurring_run_id}',
    'DELETE /apis/v2beta1/recurringruns/{recurring_run_id}',
    'POST /apis/v2beta1/recurringruns/{recurring_run_id}:enable',
    'POST /apis/v2beta1/recurringruns/{recurring_run_id}:disable',
  ];
  readonly items = new Map<string, Json>();
  private readonly check = kfpRecurringRunCheck();

  constructor(private readonly experimentExists: (id: string) => boolean) {}

  /** The answer to a recurring-run request (its body already decoded against the swagger by api.ts). */
  route(method: string, p: string, query: URLSearchParams, body: Json, visible: (record: Json) => boolean = () => true): Json {
    let m: RegExpExecArray | null;
    if (p === '/apis/v2beta1/recurringruns' && method === 'POST') return this.create(body);
    if (p === '/apis/v2beta1/recurringruns' && method === 'GET') return this.list(query, visible);
    if ((m = /^\/apis\/v2beta1\/recurringruns\/([^/:]+):(enable|disable)$/.exec(p)) && method === 'POST') {
      const rr = this.get(m[1]);
      rr.status = m[2] === 'enable' ? 'ENABLED' : 'DISABLED';
      rr.mode = m[2] === 'enable' ? 'ENABLE' : 'DISABLE';
      rr.updated_at = now();
      return {};
    }
    if ((m = /^\/apis\/v2beta1\/recurringruns\/([^/:]+)$/.exec(p)) && method === 'GET') return this.get(m[1]);
    if ((m = /^\/apis\/v2beta1\/recurringruns\/([^/:]+)$/.exec(p)) && method === 'DELETE') {
      this.get(m[1]);
      this.items.delete(m[1]);
      return {};
    }
    throw new KfpError(404, 5, 'Not Found');
  }

  private get(id: string): Json {
    const found = this.items.get(id);
    if (!found) throw kfpNotFound(`Failed to get a recurring run ${id}: ResourceNotFoundError: RecurringRun ${id} not found`);
    return found;
  }

  private create(body: Json): Json {
    const problems = this.check(body);
    if (problems.length > 0) throw kfpInvalid(`Invalid input error: the recurring run does not follow the v2beta1 API: ${problems.join('; ')}`);
    // toModelJob's check (server/api_converter.go), then createJob's (server/job_server.go).
    const concurrency = Number(body.max_concurrency ?? 0);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10) {
      throw kfpInvalidInput(`Max concurrency of a recurring run must be at least 1 and at most 10. Received ${concurrency}`, 'Failed to create a recurring run due to conversion error');
    }
    if (typeof body.display_name !== 'string' || body.display_name === '') throw kfpInvalidInput('Recurring run name is empty. Please specify a valid name', 'Failed to create a recurring run');
    const trigger = body.trigger as { cron_schedule?: { cron?: string }; periodic_schedule?: unknown } | undefined;
    const cron = trigger?.cron_schedule?.cron;
    if (cron !== undefined) {
      const fields = cron.trim().split(/\s+/);
      if (fields.length !== 6 || !fields.every((f) => CRON_FIELD.test(f))) throw kfpInvalid(`Invalid input error: Schedule cron is not a supported format(https://godoc.org/github.com/robfig/cron). Error: ${cron}`);
    } else if (!trigger?.periodic_schedule) {
      throw kfpInvalid('Invalid input error: Recurring run must have a trigger (cron_schedule or periodic_schedule)');
    }
    if (!body.pipeline_spec && !body.pipeline_version_reference) throw kfpInvalid('Invalid input error: Recurring run must have a pipeline_spec or a pipeline_version_reference');
    if (typeof body.experiment_id === 'string' && !this.experimentExists(body.experiment_id)) throw kfpNotFound(`Failed to create a recurring run: experiment ${body.experiment_id} not found`);
    const id = newId();
    const created: Json = {
      ...body,
      recurring_run_id: id,
      mode: body.mode ?? 'ENABLE',
      status: body.mode === 'DISABLE' ? 'DISABLED' : 'ENABLED',
      created_at: now(),
      updated_at: now(),
      namespace: '',
      no_catchup: body.no_catchup === true,
    };
    this.items.set(id, created);
    return created;
  }

  private list(query: URLSearchParams, visible: (record: Json) => boolean): Json {
    const experiment = query.get('experiment_id');
    const items = [...this.items.values()].filter((r) => (!experiment || r.experiment_id === experiment) && visible(r));
    const { items: pageItems, next_page_token, total_size } = page(items, query);
    return { recurringRuns: pageItems, total_size, next_page_token };
  }
}
