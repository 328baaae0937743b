// autocannon ships no types and @types/autocannon is not installed; this declares only the part of its
// programmatic API the benchmark uses (see node_modules/autocannon/README.md, "API").
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      requests?: Request[];
      headers?: Record<string, string>;
    }

    /** A histogram summary; latencies in milliseconds, requests per second. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p99: number;
    }

    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      statusCodeStats: Record<string, { count: number }>;
      latency: Histogram & { totalCount: number };
      /** `total`: completed requests. */
      requests: Histogram & { total: number; sent: number };
      /** Bytes per second; `total`: bytes read. */
      throughput: Histogram & { total: number };
    }
  }

  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
