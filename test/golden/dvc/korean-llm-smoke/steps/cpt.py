# step script of cpt
import sys
