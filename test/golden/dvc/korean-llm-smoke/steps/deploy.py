# step script of deploy
import sys
