"""Runs the real Milvus 2.3.5 server embedded in PyPI's `milvus` package (milvus==2.3.5).

Usage: real-milvus.py BASE_DIR BIN_CACHE [--auth]
BIN_CACHE keeps the server binaries unpacked between runs (unpacking takes ~15 s). Every port is
a free one (so several servers and test files can run at once), all data lives in BASE_DIR. Prints one JSON line {"port", "pid", "startMs"} on stdout once the server is healthy,
then runs until stdin closes (the parent exited or let go) or SIGTERM/SIGINT, stops it and
removes BASE_DIR.
"""
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time

import milvus
from milvus import default_server

# Ports the package's config template exposes (milvus/__init__.py: keys ending in _port).
PORT_KEYS = [key for key in default_server.config_keys if key.endswith('_port')]


def free_ports(count):
    """Distinct free ports: all sockets stay bound until every port is picked."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(('127.0.0.1', 0))
            socks.append(sock)
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def write_embed_etcd_config(base_dir, client_port, peer_port):
    """Embedded etcd listens on 2379/2380 unless configured (internal/util/etcd/etcd_server.go
    InitEtcdServer: embed.NewConfig() without etcd.config.path), so give it a config file."""
    path = os.path.join(base_dir, 'embed-etcd.yaml')
    with open(path, 'w', encoding='utf-8') as out:
        out.write(
            f'listen-client-urls: http://127.0.0.1:{client_port}\n'
            f'advertise-client-urls: http://127.0.0.1:{client_port}\n'
            f'listen-peer-urls: http://127.0.0.1:{peer_port}\n'
            f'initial-advertise-peer-urls: http://127.0.0.1:{peer_port}\n'
            f'initial-cluster: default=http://127.0.0.1:{peer_port}\n'
        )
    return path


def unpacked_binaries(cache_dir):
    """The package unpacks its binaries into BASE_DIR/bin on every start unless their .md5 stamps
    match (milvus/__init__.py _initialize_data_files); unpack once into the cache, atomically."""
    if os.path.isdir(cache_dir):
        return cache_dir
    tmp = f'{cache_dir}.{os.getpid()}.tmp'
    milvus._initialize_data_files(tmp)  # fills tmp/bin
    try:
        os.rename(os.path.join(tmp, 'bin'), cache_dir)
    except OSError:
        pass  # another launcher won the race; its copy is the same
    shutil.rmtree(tmp, ignore_errors=True)
    return cache_dir


def main():
    base_dir = os.path.abspath(sys.argv[1])
    bin_cache = os.path.abspath(sys.argv[2])
    auth = '--auth' in sys.argv[3:]
    os.makedirs(base_dir, exist_ok=True)
    os.makedirs(os.path.dirname(bin_cache), exist_ok=True)
    os.symlink(unpacked_binaries(bin_cache), os.path.join(base_dir, 'bin'))

    ports = free_ports(len(PORT_KEYS) + 2)
    config = dict(zip(PORT_KEYS, ports))
    etcd_peer_port, metrics_port = ports[len(PORT_KEYS):]
    # Environment keys map to config keys (pkg/config/env_source.go): ETCD_CONFIG_PATH = etcd.config.path.
    os.environ['ETCD_CONFIG_PATH'] = write_embed_etcd_config(base_dir, config['etcd_port'], etcd_peer_port)

    default_server.set_base_dir(base_dir)
    default_server.config.update(**config)
    default_server.config.set('authorization_enabled', auth)
    default_server.webservice_port = metrics_port  # health endpoint; start() probes from here upward

    stopping = threading.Event()
    ready = threading.Event()

    def stop(*_):
        stopping.set()
        if not ready.is_set():
            raise SystemExit(1)  # still starting: leave start() now; `finally` stops the process

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # stdin closes when the parent lets go or dies, also while the server is still starting.
    threading.Thread(target=lambda: (sys.stdin.read(), os.kill(os.getpid(), signal.SIGTERM)), daemon=True).start()

    started = time.monotonic()
    try:
        default_server.start()
        ready.set()
        start_ms = round((time.monotonic() - started) * 1000)
        print(json.dumps({'port': default_server.listen_port, 'pid': default_server.server_proc.pid,
                          'startMs': start_ms}), flush=True)
        while not stopping.is_set() and default_server.server_proc.poll() is None:
            stopping.wait(0.5)
    finally:
        default_server.stop()
        if ready.is_set():  # after a failed start the logs stay for the error message
            shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == '__main__':
    main()
