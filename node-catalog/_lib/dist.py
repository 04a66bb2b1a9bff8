# --- pipewright _lib/dist.py: one process per GPU (torchrun's environment, or spawned here when started plainly) ---
import os
import signal
import socket
import subprocess
import sys


def world_size():
    try:
        return max(1, int(os.environ.get("WORLD_SIZE", "1")))
    except ValueError:
        return 1


def rank():
    try:
        return int(os.environ.get("RANK", "0"))
    except ValueError:
        return 0


def is_main_process():
    """Rank 0 (or a single process): the one that writes outputs, metric lines and MLflow records."""
    return rank() == 0


def step_gpus():
    """GPUs this step was given: PIPEWRIGHT_GPUS (set by every target from resources.gpus), else the CUDA devices visible."""
    text = os.environ.get("PIPEWRIGHT_GPUS", "").strip()
    if text:
        try:
            return max(0, int(text))
        except ValueError:
            raise StepError("PIPEWRIGHT_GPUS is %r; it must be a whole number" % text, EXIT_USAGE)
    return visible_cuda_devices()


def visible_cuda_devices():
    if not is_importable("torch"):
        return 0
    try:
        import torch

        return int(torch.cuda.device_count()) if torch.cuda.is_available() else 0
    except Exception:  # noqa: BLE001 - a broken CUDA install means no GPU for us
        return 0


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn_workers(processes):
    """Started plainly with processes > 1: run this script once per process, as torchrun would, and return the exit status.

    Each worker gets RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT; stdout and stderr are shared
    (workers other than rank 0 print no metric lines). The first worker to fail stops the others.
    """
    port = str(_free_port())
    children = []
    for r in range(processes):
        env = dict(os.environ, RANK=str(r), LOCAL_RANK=str(r), WORLD_SIZE=str(processes), LOCAL_WORLD_SIZE=str(processes),
                   MASTER_ADDR="127.0.0.1", MASTER_PORT=port, PIPEWRIGHT_SPAWNED="1")
        children.append(subprocess.Popen([sys.executable, "-u"] + sys.argv, env=env))

    def stop(signum, _frame):
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    status = 0
    pending = list(children)
    while pending:
        for child in list(pending):
            code = child.poll()
            if code is None:
                continue
            pending.remove(child)
            if code != 0 and status == 0:
                status = code if code > 0 else EXIT_FAILED
                for other in pending:
                    other.terminate()
        if pending:
            try:
                pending[0].wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
    return status


def init_distributed(torch, backend):
    """Join the process group torchrun (or spawn_workers) described in the environment; a no-op for one process."""
    if world_size() <= 1 or not torch.distributed.is_available():
        return False
    if not torch.distributed.is_initialized():
        torch.distributed.init_process_group(backend=backend, rank=rank(), world_size=world_size())
    return True


def _path_part(text):
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text) or "_"


def checkpoint_dir():
    """Where checkpoints go so a retried pod resumes: PIPEWRIGHT_CHECKPOINT_DIR, else <PIPEWRIGHT_CHECKPOINT_ROOT>/<run id>/<node id>
    (the checkpoint PVC on cluster targets; a retry keeps its run and node id), else None."""
    path = os.environ.get("PIPEWRIGHT_CHECKPOINT_DIR")
    root = os.environ.get("PIPEWRIGHT_CHECKPOINT_ROOT")
    if not path and root:
        run = os.environ.get("PIPEWRIGHT_RUN_ID") or "run"
        node = os.environ.get("PIPEWRIGHT_NODE_ID") or "step"
        path = os.path.join(root, _path_part(run), _path_part(node))
    if path:
        os.makedirs(path, exist_ok=True)
    return path or None
