# step script of preprocess
import sys
