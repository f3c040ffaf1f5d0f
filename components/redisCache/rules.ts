// Pure rules of the Redis component.

/** Redis 7.x as ElastiCache names it (`7.0`, `7.1`). */
export function isRedis7(engineVersion: string): boolean {
    return /^7\.\d+$/.test(engineVersion);
}

/** Automatic failover needs a replica to fail over to; Multi-AZ needs failover. */
export function redisAvailability(cacheClusters: number): { automaticFailoverEnabled: boolean; multiAzEnabled: boolean } {
    const failover = cacheClusters >= 2;
    return { automaticFailoverEnabled: failover, multiAzEnabled: failover };
}
