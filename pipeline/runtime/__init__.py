"""Runtime: the stages in order (``run``) and where the per-document stages run (``engine``:
this process, forked worker processes, or a Dask cluster). Imports the stages and the writers;
nothing imports the runtime but the command line and the developer tools."""
