// The data services' ports: the data components open them to the cluster only, and the exposure policy
// checks that no security group opens them to the internet.

/** PostgreSQL on RDS. */
export const POSTGRES_PORT = 5432;
/** Redis on ElastiCache. */
export const REDIS_PORT = 6379;

/** Each data port by the service name a violation gives it. */
export const dataPorts: Readonly<Record<string, number>> = { PostgreSQL: POSTGRES_PORT, Redis: REDIS_PORT };
