"""``python -m benchmarks`` prints the benchmark table."""

from .run import main

main()
