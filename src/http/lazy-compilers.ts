// Route schemas compiled on first use instead of at start. Fastify compiles a validator (Ajv) and a serializer
// (fast-json-stringify) for every route when the app becomes ready; for this API's schemas that was most of
// the start-up time, so a restarted server answered only seconds later. These factories wrap fastify's own
// (same compilers, same options, same results) and defer each compilation to the first request that needs
// it. A schema error therefore shows at that request, not at start: the test suite calls every route.
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
  httpStatus?: string;
  contentType?: string;
}
type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type ValidatorCompiler = (route: RouteSchema) => Validate;
type SerializerCompiler = (route: RouteSchema) => (data: unknown) => string;

// Required on first use too: loading Ajv and its formats alone is a noticeable part of start-up. The casts:
// fastify types these factories as the union of Ajv's and JTD's; with fastify's default options they are Ajv's.
const require = createRequire(import.meta.url);
type Factory<Compiler> = (schemas: unknown, options: unknown) => Compiler;
const defaultValidators: Factory<ValidatorCompiler> = (schemas, options) => {
  const AjvCompiler: typeof import('@fastify/ajv-compiler') = require('@fastify/ajv-compiler');
  return (AjvCompiler() as unknown as Factory<ValidatorCompiler>)(schemas, options);
};
const defaultSerializers: Factory<SerializerCompiler> = (schemas, options) => {
  const compilers: typeof import('@fastify/fast-json-stringify-compiler') = require('@fastify/fast-json-stringify-compiler');
  return (compilers.SerializerSelector() as unknown as Factory<SerializerCompiler>)(schemas, options);
};

/** Calls `build` once, on first use. */
function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

function lazyValidators(schemas: unknown, options: unknown): ValidatorCompiler {
  // Creating the Ajv instance and adding every shared schema to it is itself costly: deferred as well.
  const compiler = once(() => defaultValidators(schemas, options));
  return (route) => {
    const compiled = once(() => compiler()(route));
    const validate: Validate = (data) => {
      const real = compiled();
      const result = real(data);
      // Fastify reads the errors from the function it was given, where Ajv leaves them on its own.
      validate.errors = real.errors;
      return result;
    };
    return validate;
  };
}

function lazySerializers(schemas: unknown, options: unknown): SerializerCompiler {
  const compiler = once(() => defaultSerializers(schemas, options));
  return (route) => {
    const compiled = once(() => compiler()(route));
    return (data) => compiled()(data);
  };
}

export const lazyCompilersFactory = {
  buildValidator: lazyValidators as unknown as CompilersFactory['buildValidator'],
  buildSerializer: lazySerializers as unknown as CompilersFactory['buildSerializer'],
} satisfies CompilersFactory;
