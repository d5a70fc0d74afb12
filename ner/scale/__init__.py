"""Scale-out extract (issue 7): the same pipeline over large inputs, in partitions, on a Dask cluster.

``sources`` plans input partitions (JSONL line ranges, folder file ranges, Parquet row ranges) and
reads them back as :class:`ner.inputs.InputRecord`; ``records_io`` writes and reads partition
outputs (JSONL, CSV, Parquet); ``dask_engine`` runs the partitions and keeps ``manifest.json``.
Dask itself is an optional dependency (``pip install 'xiang-ner[dask]'``), imported only when used.
"""
