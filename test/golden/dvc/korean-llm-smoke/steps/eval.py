# step script of eval
import sys
