# Distributed-CellProfiler-style config.py for running the nuclei example on AWS.
# Parascope reads it unchanged (no Python is run); docs/config.md explains every key.
# Replace the bucket and, if you like, the region, then follow docs/aws.md.

# Constants (User configurable)
APP_NAME = 'ParascopeNuclei'

# DOCKER REGISTRY INFORMATION:
DOCKERHUB_TAG = 'parascope/fiji-worker:0.1.0'

# AWS GENERAL SETTINGS:
AWS_REGION = 'us-east-1'
AWS_PROFILE = 'default'
SSH_KEY_NAME = 'your-key-file.pem'
AWS_BUCKET = 'your-bucket-name'
SOURCE_BUCKET = 'False'
WORKSPACE_BUCKET = 'False'
DESTINATION_BUCKET = 'False'
UPLOAD_FLAGS = ''

# EC2 AND ECS INFORMATION:
ECS_CLUSTER = 'parascope-nuclei'
CLUSTER_MACHINES = 2
TASKS_PER_MACHINE = 1
MACHINE_TYPE = ['m5.large', 'm5a.large']
MACHINE_PRICE = 0.10
EBS_VOL_SIZE = 30
DOWNLOAD_FILES = 'True'
ASSIGN_IP = 'True'

# DOCKER INSTANCE RUNNING ENVIRONMENT:
DOCKER_CORES = 2
CPU_SHARES = DOCKER_CORES * 1024
MEMORY = 7000
SECONDS_TO_START = 30

# SQS QUEUE INFORMATION:
SQS_QUEUE_NAME = APP_NAME + 'Queue'
SQS_MESSAGE_VISIBILITY = 2*60
SQS_DEAD_LETTER_QUEUE = APP_NAME + 'DeadMessages'
JOB_RETRIES = 3

# MONITORING
AUTO_MONITOR = 'True'
CREATE_DASHBOARD = 'True'
CLEAN_DASHBOARD = 'True'

# LOG GROUP INFORMATION:
LOG_GROUP_NAME = APP_NAME

# REDUNDANCY CHECKS
CHECK_IF_DONE_BOOL = 'True'
EXPECTED_NUMBER_FILES = 1
MIN_FILE_SIZE_BYTES = 1
NECESSARY_STRING = '.csv'
