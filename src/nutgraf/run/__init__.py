"""Running over corpora: processes or a Dask cluster, resumable batch runs, output files."""
