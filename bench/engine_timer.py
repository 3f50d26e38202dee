"""Timer accuracy of the engine alone: PhaseTimer on time.monotonic in a real asyncio loop.

Two sessions run at once in one loop, the way a screen drives them (sleep until the engine's
next change, then poll): a 60-second heat phase followed by an off phase, and one 4-4-4-4 box of
breathing phases. For every phase end it records how late the loop saw it, against the deadline
start + the sum of the phase lengths. Prints one JSON object.

Run: python -m bench.engine_timer [HEAT_SECONDS]
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from neck_tui.engine import Finished, Phase, PhaseEnded, PhaseTimer


async def drive(phases: list[Phase], ends: int) -> list[float]:
    """Run the phases; return the lateness (s) of the first `ends` phase ends."""
    timer = PhaseTimer(phases, clock=time.monotonic)
    timer.start()
    start = time.monotonic()
    deadlines, t = [], 0.0
    for phase in phases:
        t += phase.seconds
        deadlines.append(start + t)
    late: list[float] = []
    while len(late) < ends:
        wait = timer.next_change()
        await asyncio.sleep(wait if wait is not None else 0.05)
        seen = time.monotonic()
        for event in timer.poll():
            if isinstance(event, PhaseEnded) and len(late) < ends:
                late.append(seen - deadlines[event.index])
            elif isinstance(event, Finished):
                return late
    timer.stop()
    return late


async def main(heat_s: float) -> dict[str, object]:
    heat = [Phase("heat", heat_s), Phase("off", 60.0)]
    box = [Phase(kind, 4.0) for kind in ("in", "hold", "out", "hold")] * 4
    heat_late, box_late = await asyncio.gather(drive(heat, 1), drive(box, len(box)))
    return {"heat_s": heat_s, "heat_end_late_s": heat_late[0], "box_ends_late_s": box_late}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0))))
