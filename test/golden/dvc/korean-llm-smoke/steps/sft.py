# step script of sft
import sys
