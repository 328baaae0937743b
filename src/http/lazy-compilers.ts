// Route schemas compiled on first use instead of at start. Fastify compiles a validator (Ajv) and a serializer
// (fast-json-stringify) for every route when the app becomes ready; for this API's schemas that was most of
// the start-up time, so a restarted server answered only seconds later. These factories wrap fastify's own
// (same compilers, same options, same results) and defer each compilation to the first request that needs
// it. A schema error therefore shows at that request, not at start: the test suite calls every route.
import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
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

// The casts: fastify types these factories as the union of Ajv's and JTD's; with fastify's default options
// they are Ajv's. The modules are imported statically so that the server bundle (scripts/build.mjs) holds them:
// loaded from node_modules on the first request, Ajv's hundred files cost more than compiling the schema.
type Factory<Compiler> = (schemas: unknown, options: unknown) => Compiler;
const defaultValidators: Factory<ValidatorCompiler> = (schemas, options) =>
  (AjvCompiler() as unknown as Factory<ValidatorCompiler>)(schemas, options);
const defaultSerializers: Factory<SerializerCompiler> = (schemas, options) =>
  (SerializerSelector() as unknown as Factory<SerializerCompiler>)(schemas, options);

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
