#!/usr/bin/env python3
"""The GPU check of the training steps, as one script for a machine with an NVIDIA GPU, torch,
transformers and peft and no network (issue 8 §9).

It runs the smoke template's compiled DVC stages (`pipewright compile ... --target dvc`, done beforehand
where Node is) with the transformers engine on a small randomly initialised Llama built here: a byte-level
BPE tokenizer trained on the bundled Korean corpus and a few-layer config, saved as a local folder, so
nothing is downloaded. Then it checks what a user would check, and writes a report:

  1. cpt and sft train on 1 GPU: the loss falls, the step says which warmup it set (10 % of the optimizer
     steps, whichever of warmup_ratio / warmup_steps the installed transformers takes), final metrics;
  2. eval and ko-bench load the trained adapter and score;
  3. cpt killed mid-run (SIGKILL after a checkpoint) resumes from the checkpoint when started again;
  4. with 2 GPUs or more, cpt again with gpus 2: one process per GPU (NCCL), `processes: 2` in its metrics.

Usage (repository root):
  node bin/pipewright.mjs compile node-catalog/templates/korean-llm-smoke.pipewright.json --target dvc --out build/gpu-check
  python3 scripts/gpu-check/run.py --project build/gpu-check --out "$OUT"

`--engine tiny` runs the same stages and checks with the CPU engine (no model to build): how this script
is itself tested on machines without a GPU (scripts/gpu-check/run.test.ts).
"""
import argparse
import json
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

TRAIN_STAGES = ("cpt", "sft")
MODEL_STAGES = ("cpt", "sft", "eval", "ko-bench")


def log(text):
    print("[gpu-check] " + text, flush=True)


def build_base_model(corpus_files, out_dir):
    """A byte-level BPE tokenizer trained on the corpus and a randomly initialised 2-layer Llama, saved locally."""
    import torch
    import transformers
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    texts = []
    for path in corpus_files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    record = json.loads(line)
                    texts.extend(str(v) for v in record.values() if isinstance(v, str))
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=2048, special_tokens=["<unk>", "<s>", "</s>", "<pad>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(texts, trainer=trainer)
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="<unk>", bos_token="<s>",
                                                eos_token="</s>", pad_token="<pad>")
    config = transformers.LlamaConfig(vocab_size=len(fast), hidden_size=256, intermediate_size=688, num_hidden_layers=2,
                                      num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=512,
                                      bos_token_id=fast.bos_token_id, eos_token_id=fast.eos_token_id,
                                      pad_token_id=fast.pad_token_id, tie_word_embeddings=False)
    torch.manual_seed(0)
    model = transformers.LlamaForCausalLM(config)
    model.save_pretrained(out_dir)
    fast.save_pretrained(out_dir)
    parameters = sum(p.numel() for p in model.parameters())
    log("base model: %d parameters, vocabulary %d, in %s" % (parameters, len(fast), out_dir))
    return {"parameters": parameters, "vocabulary": len(fast)}


def load_stages(project):
    import yaml  # transformers depends on PyYAML; Debian has python3-yaml

    with open(os.path.join(project, "dvc.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["stages"]


def ordered(stages):
    """Stage names so each comes after the stages whose outputs it reads (as dvc repro orders them)."""
    producer = {out: name for name, stage in stages.items() for out in stage.get("outs", []) if isinstance(out, str)}
    done, order = set(), []

    def visit(name, path=()):
        if name in done:
            return
        if name in path:
            raise SystemExit("dvc.yaml has a cycle through %s" % name)
        for dep in stages[name].get("deps", []):
            if dep in producer:
                visit(producer[dep], path + (name,))
        done.add(name)
        order.append(name)

    for name in stages:
        visit(name)
    return order


def set_params(project, engine, base_model, max_steps):
    path = os.path.join(project, "params.yaml")
    with open(path, encoding="utf-8") as f:
        params = json.load(f)  # Pipewright writes params.yaml as JSON, which is YAML
    for stage in MODEL_STAGES:
        if stage not in params:
            continue
        if "engine" in params[stage]:
            params[stage]["engine"] = engine
        if stage in TRAIN_STAGES:
            if engine != "tiny":
                params[stage].update(base_model=base_model, load_in_4bit=False, target_modules=["q_proj", "k_proj", "v_proj", "o_proj"],
                                     max_seq_length=128, lora_r=8, lora_alpha=16, lora_dropout=0.0)
            params[stage].update(max_steps=max_steps, logging_steps=1, save_steps=5, gradient_checkpointing=engine != "tiny")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(params, f, ensure_ascii=False, indent=2)
    return params


def run_stage(project, name, stage, gpus, logs_dir, env_extra=None, kill_after_step=None, timeout=1800):
    """Runs one stage's command as the local runner does (its env: PIPEWRIGHT_GPUS, CUDA_VISIBLE_DEVICES)."""
    env = dict(os.environ, PIPEWRIGHT_NODE_ID=name, PIPEWRIGHT_RUN_ID="gpu-check", PIPEWRIGHT_GPUS=str(gpus),
               PYTHONDONTWRITEBYTECODE="1")
    if gpus > 0:
        env["CUDA_VISIBLE_DEVICES"] = ",".join(str(i) for i in range(gpus))
    else:
        env["CUDA_VISIBLE_DEVICES"] = ""
    env.update(env_extra or {})
    started = time.time()
    log_path = os.path.join(logs_dir, "%s%s.log" % (name, "" if kill_after_step is None else "-killed"))
    lines = []
    with open(log_path, "w", encoding="utf-8") as out:
        # The stage's python3 is this interpreter (the one with torch and transformers), as the app's Python setting does.
        command = re.sub(r"^python3 ", shlex.quote(sys.executable) + " ", stage["cmd"])
        proc = subprocess.Popen(command, shell=True, cwd=project, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        killed = False
        for line in proc.stdout:
            out.write(line)
            lines.append(line.rstrip("\n"))
            m = re.match(r'^PIPEWRIGHT_METRIC \{"step": (\d+)', line)
            if kill_after_step is not None and m and int(m.group(1)) >= kill_after_step and not killed:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
            if time.time() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                raise SystemExit("stage %s ran over %d s" % (name, timeout))
        code = proc.wait()
    return {"code": code, "seconds": round(time.time() - started, 1), "lines": lines, "log": log_path, "killed": killed}


def metric_records(lines):
    out = []
    for line in lines:
        if line.startswith("PIPEWRIGHT_METRIC "):
            try:
                out.append(json.loads(line[len("PIPEWRIGHT_METRIC "):]))
            except ValueError:
                pass
    return out


def losses(lines):
    return [(r["step"], r["loss"]) for r in metric_records(lines) if isinstance(r.get("loss"), (int, float)) and r.get("step", 0) > 0]


class Report:
    def __init__(self):
        self.checks = []

    def check(self, name, ok, detail):
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        log("%s %s: %s" % ("PASS" if ok else "FAIL", name, detail))

    @property
    def ok(self):
        return all(c["ok"] for c in self.checks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", required=True, help="the compiled DVC project (pipewright compile --target dvc)")
    parser.add_argument("--out", required=True, help="where the report, logs and models go")
    parser.add_argument("--engine", default="transformers", choices=["transformers", "tiny"])
    parser.add_argument("--max-steps", type=int, default=30)
    args = parser.parse_args()

    out = os.path.abspath(args.out)
    project = os.path.join(out, "project")
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(args.project, project)
    logs_dir = os.path.join(out, "logs")
    os.makedirs(logs_dir, exist_ok=True)
    report = Report()
    facts = {"engine": args.engine, "python": sys.version.split()[0]}

    gpus_available = 0
    try:
        import torch

        facts["torch"] = torch.__version__
        gpus_available = torch.cuda.device_count() if torch.cuda.is_available() else 0
        facts["gpus"] = [torch.cuda.get_device_name(i) for i in range(gpus_available)]
    except ImportError:
        facts["torch"] = None
    if args.engine != "tiny":
        import transformers
        import peft

        facts.update(transformers=transformers.__version__, peft=peft.__version__)
        if gpus_available == 0:
            raise SystemExit("the transformers check needs a CUDA GPU (torch sees none)")
    gpus = 1 if args.engine != "tiny" else 0

    base_model = os.path.join(out, "base-model")
    if args.engine != "tiny":
        corpus = [os.path.join(project, "samples", n) for n in ("ko_corpus.jsonl", "ko_instructions.jsonl")]
        facts["base_model"] = build_base_model([p for p in corpus if os.path.isfile(p)], base_model)
    set_params(project, args.engine, base_model, args.max_steps)
    stages = load_stages(project)

    results = {}
    for name in ordered(stages):
        stage = stages[name]
        stage_gpus = gpus if name in MODEL_STAGES else 0
        result = run_stage(project, name, stage, stage_gpus, logs_dir)
        results[name] = result
        report.check("stage %s exits 0" % name, result["code"] == 0, "exit %s in %s s (log %s)" % (result["code"], result["seconds"], result["log"]))
        if result["code"] != 0:
            print("\n".join(result["lines"][-40:]))
            break

    for name in TRAIN_STAGES:
        if name not in results or results[name]["code"] != 0:
            continue
        lines = results[name]["lines"]
        engine_lines = [json.loads(l[len("PIPEWRIGHT_INFO "):]) for l in lines if l.startswith("PIPEWRIGHT_INFO ") and '"engine"' in l]
        ran = engine_lines[0].get("engine") if engine_lines else None
        report.check("%s ran the %s engine" % (name, args.engine), ran == args.engine, "PIPEWRIGHT_INFO engine=%s" % ran)
        curve = losses(lines)
        if len(curve) >= 4:
            first = sum(l for _, l in curve[:3]) / 3
            last = sum(l for _, l in curve[-3:]) / 3
            report.check("%s loss falls" % name, last < first, "mean of first 3 logged losses %.4f, of last 3 %.4f (%d points)" % (first, last, len(curve)))
        else:
            report.check("%s loss falls" % name, False, "only %d loss points logged" % len(curve))
        if args.engine != "tiny":
            # Seen in the learning-rate curve, whatever the installed transformers calls it: a linear rise for
            # 10 % of the steps, then the decay.
            warm = [l for l in lines if l.startswith("warmup: ")]
            rates = [(r["step"], r["learning_rate"]) for r in metric_records(lines) if isinstance(r.get("learning_rate"), (int, float)) and r.get("step", 0) > 0]
            expected = max(1, math.ceil(args.max_steps * 0.1))
            peak = max(rates, key=lambda sr: sr[1])[0] if rates else None
            ok = peak is not None and abs(peak - expected) <= 1 and rates[0][1] < max(r for _, r in rates)
            report.check("%s warmup is 10 %%" % name, ok, "%s; learning rate peaks at step %s (expected %d)" % (warm[0] if warm else "no 'warmup:' line", peak, expected))
        metrics_file = os.path.join(project, "data", name, "metrics", "metrics.json")
        if os.path.isfile(metrics_file):
            with open(metrics_file, encoding="utf-8") as f:
                final = json.load(f)
            report.check("%s final metrics written" % name, "final_loss" in json.dumps(final), json.dumps(final)[:300])
    for name in ("eval", "ko-bench"):
        if name in results and results[name]["code"] == 0:
            infos = [l for l in results[name]["lines"] if l.startswith("PIPEWRIGHT_INFO ")]
            report.check("%s scored the trained model" % name, any(args.engine in l for l in infos), infos[0][:300] if infos else "no PIPEWRIGHT_INFO line")

    # 3. Resume: cpt again with a checkpoint folder, killed after step 12 (checkpoints at 5 and 10), then started again.
    if "cpt" in stages and results.get("cpt", {}).get("code") == 0:
        ckpt = os.path.join(out, "checkpoints")
        shutil.rmtree(ckpt, ignore_errors=True)
        env = {"PIPEWRIGHT_CHECKPOINT_DIR": ckpt}
        first = run_stage(project, "cpt", stages["cpt"], gpus, logs_dir, env, kill_after_step=12)
        second = run_stage(project, "cpt", stages["cpt"], gpus, logs_dir, env)
        resumed = [l for l in second["lines"] if "resumed from step" in l]
        report.check("cpt killed at step 12 resumes", first["killed"] and second["code"] == 0 and bool(resumed),
                     "first attempt killed: %s; second exit %s; %s" % (first["killed"], second["code"], resumed[0] if resumed else "no 'resumed from step' line"))

    # 4. Two GPUs: one process per GPU over NCCL.
    if args.engine != "tiny" and gpus_available >= 2 and "cpt" in stages:
        two = run_stage(project, "cpt", stages["cpt"], 2, logs_dir, {"PIPEWRIGHT_CHECKPOINT_DIR": os.path.join(out, "checkpoints-2gpu")})
        processes = [r.get("processes") for r in metric_records(two["lines"]) if "processes" in r]
        report.check("cpt on 2 GPUs runs 2 processes", two["code"] == 0 and 2 in processes, "exit %s, processes in metric lines: %s" % (two["code"], sorted(set(p for p in processes if p is not None))))
    elif args.engine != "tiny":
        report.check("cpt on 2 GPUs", True, "skipped: %d GPU(s) here" % gpus_available)

    with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
        json.dump({"ok": report.ok, "facts": facts, "checks": report.checks}, f, ensure_ascii=False, indent=2)
    log("%s: %d checks, %d failed; report in %s" % ("OK" if report.ok else "FAILED", len(report.checks),
                                                     sum(1 for c in report.checks if not c["ok"]), os.path.join(out, "report.json")))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
