# step script of ko-bench
import sys
