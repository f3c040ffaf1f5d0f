// Subnet arithmetic for the VPC, like Terraform's cidrsubnet(): carve the block into equal parts.

function toInt(ip: string): number {
    return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toIp(n: number): string {
    return [24, 16, 8, 0].map(shift => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** The `index`-th block of `base` extended by `newBits` bits, e.g. cidrSubnet("10.0.0.0/16", 4, 2) = 10.0.32.0/20. */
export function cidrSubnet(base: string, newBits: number, index: number): string {
    const [ip, prefixText] = base.split("/");
    const prefix = Number(prefixText);
    const newPrefix = prefix + newBits;
    if (newPrefix > 32) throw new Error(`${base} cannot be split into /${newPrefix} blocks`);
    if (index < 0 || index >= 2 ** newBits) {
        throw new Error(`${base} has only ${2 ** newBits} /${newPrefix} blocks; index ${index} is out of range`);
    }
    const size = 2 ** (32 - newPrefix);
    const network = toInt(ip) - (toInt(ip) % 2 ** (32 - prefix));
    return `${toIp(network + index * size)}/${newPrefix}`;
}

/**
 * One private and one public subnet per zone: private subnets take the first quarters of the VPC
 * (where the nodes and pods live, so they get the room), public ones small blocks in the last quarter.
 */
export function zoneSubnets(vpcCidr: string, zoneCount: number): { private: string[]; public: string[] } {
    if (zoneCount < 1 || zoneCount > 3) throw new Error(`between 1 and 3 zones fit this layout; got ${zoneCount}`);
    const lastQuarter = cidrSubnet(vpcCidr, 2, 3);
    return {
        private: Array.from({ length: zoneCount }, (_, i) => cidrSubnet(vpcCidr, 2, i)),
        public: Array.from({ length: zoneCount }, (_, i) => cidrSubnet(lastQuarter, 3, i)),
    };
}
