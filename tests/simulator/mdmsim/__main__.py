"""Command line: `python -m mdmsim serve ...` and `python -m mdmsim run ... -- CMD ARGS...`."""

import argparse
import os
import subprocess
import sys


def build_parser():
    parser = argparse.ArgumentParser(prog='python -m mdmsim', description='Local HTTPS simulator of four MDM vendor APIs.')
    commands = parser.add_subparsers(dest='command', required=True)
    for name in ('serve', 'run'):
        sub = commands.add_parser(name)
        sub.add_argument('--state-dir', required=name == 'serve', help='directory for sim.json, vars.yml and ca.pem')
        sub.add_argument('--devices', type=int, default=100)
        sub.add_argument('--seed', type=int, default=1)
        sub.add_argument('--latency-ms', type=float, default=0)
        sub.add_argument('--token-ttl', type=int, default=None, help='token lifetime in seconds for every vendor')
    return parser


def run(args, command):
    from mdmsim.control import Simulator  # pylint: disable=import-outside-toplevel
    if not command:
        sys.stderr.write('mdmsim run: no command given after --\n')
        return 2
    simulator = Simulator(devices=args.devices, seed=args.seed, latency_ms=args.latency_ms, token_ttl=args.token_ttl,
                          state_dir=args.state_dir)
    try:
        simulator.start()
        env = dict(os.environ, MDM_SIM_STATE=simulator.state_dir, MDM_SIM_VARS=simulator.vars_path)
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        simulator.stop()


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    command = []
    if '--' in argv:
        split = argv.index('--')
        argv, command = argv[:split], argv[split + 1:]
    args = build_parser().parse_args(argv)
    if args.command == 'serve':
        from mdmsim.server import serve  # pylint: disable=import-outside-toplevel
        return serve(args.state_dir, args.devices, args.seed, args.latency_ms, args.token_ttl)
    return run(args, command)


if __name__ == '__main__':
    sys.exit(main())
