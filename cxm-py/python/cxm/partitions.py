"""States per partition, merged, finished: the engine-free pattern under ``cxm.spark`` and
``cxm.dask``, for any engine (Ray, Flink, a job of your own). See docs/distributed.md.

- :func:`partition_states` on each worker: one row per group of its rows, the group's key
  values and its state as bytes.
- :func:`table_of_partitions` on the driver: every partition's rows concatenated (one list or
  array per column), merged per group and finished into the ``SegmentTable`` that
  ``cxm.nps_by`` gives for all the rows at once, to the bit.

Give both the same ``by``, ``period`` and ``freq``, and for a rating the same ``scale`` as
``(min, max, threshold or None, higher_is_better)``.
"""

from cxm._partitions import STATE, check_options, partition_states, table_of_partitions

__all__ = ["STATE", "check_options", "partition_states", "table_of_partitions"]
