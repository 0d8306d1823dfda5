const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

/** host:port with a port in 1-65535 (IPv6 hosts in brackets). */
export function isHostPort(value: string): boolean {
  const port = Number(HOST_PORT.exec(value)?.[2] ?? 0);
  return port >= 1 && port <= 65535;
}

/** A Milvus address: host:port, optionally prefixed by http:// or https://. */
export function isMilvusAddress(value: string): boolean {
  return isHostPort(value.replace(/^https?:\/\//, ''));
}
