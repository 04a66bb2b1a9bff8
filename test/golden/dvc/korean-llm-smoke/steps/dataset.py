# step script of dataset
import sys
