"""The screenshot tour: `python -m tests.tour OUTDIR [--scale 1.5] [--quick]`.

It makes a demo data file in a temporary folder, starts the real main window on a simulated
1366x768 laptop screen and walks through the program only as a person can (menus, buttons,
double-clicks, keys), saving OUTDIR/NN-slug.png per screen and OUTDIR/tour.json. The scenes
are in `tests.tour.steps`; the engine is `tests.tour.driver`.
"""
