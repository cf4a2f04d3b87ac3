# base: reference
# Attacks the autograder's files: lists and reads everything under @ROOT@/source (the zip's
# contents: scripts, requirements, the wheel with the reference and the hidden cases) and the
# installed package @SITE@/{autograder,solutions}, and prints what it could read.
import os

for _top in ("@ROOT@/source", "@SITE@/autograder", "@SITE@/solutions"):
    try:
        for _path, _dirs, _files in os.walk(_top):
            for _name in _files[:50]:
                try:
                    with open(os.path.join(_path, _name), "rb") as _f:
                        print("READ", _name, _f.read(4000).decode("latin-1"))
                except OSError as _e:
                    print("DENIED", _name, _e.strerror)
        print("LISTED", _top, os.listdir(_top))
    except OSError as _e:
        print("DENIED", _top, _e.strerror)
