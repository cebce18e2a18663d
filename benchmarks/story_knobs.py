"""What each story step's knob does to its lesson, measured on seeds the tests never use (40000 on by default).

    python -m benchmarks.story_knobs [--first 40000] [--count 20]

For each step: the lesson's figure (``ui.story.Lesson``) with the knob at its low end and at its high end, averaged
over the story's village on ``count`` seeds, and the change. The lessons' sizes in ui/story.py and the table in
docs/facilitator.md come from this; the tests check direction and size on their own seeds (below 10000).
"""

from __future__ import annotations

import argparse
import warnings

from ui import story


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=40000, help="the first seed (the tests use seeds below 10000)")
    parser.add_argument("--count", type=int, default=20, help="how many seeds")
    args = parser.parse_args()
    seeds = range(args.first, args.first + args.count)
    warnings.filterwarnings("ignore", message=".*No runtime found.*")
    print(f"seeds {seeds.start}-{seeds.stop - 1}")
    for step in story.STEPS:
        low, high = story.knob_ends(step, seeds)
        lesson = step.lesson
        print(f"{step.key:9} {step.knob.setting:15} {step.knob.low:g} -> {step.knob.high:g}: {lesson.figure} "
              f"{low:.3f} -> {high:.3f} (change {high - low:+.3f}; the line claims direction {lesson.direction:+d}, "
              f"size {lesson.size})", flush=True)


if __name__ == "__main__":
    main()
